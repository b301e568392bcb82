import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { app, GATEWAY, parseYaml, service, virtualService } from './fixtures';
import { BlueGreen, FindingSeverity, IstioTrafficValidation, PortProtocol, VersionWorkload } from '../../src';

/** A stand-in for cdk8s-cli's ValidationContext that records what the plugin reports. */
function fakeContext(files: Record<string, string>) {
  const violations: any[] = [];
  const submitted: { status?: string; metadata?: any } = {};
  return {
    violations,
    submitted,
    context: {
      manifests: Object.keys(files),
      parseManifest: (file: string) => parseYaml(files[file]),
      report: {
        addViolation: (v: any) => violations.push(v),
        submit: (status: string, metadata: any) => Object.assign(submitted, { status, metadata }),
      },
      logger: { log: () => undefined },
    },
  };
}

const BROKEN = app('web') + virtualService('web', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: purple } }] }]');

describe('IstioTrafficValidation', () => {
  test('fails the report with one violation per finding, located in its manifest file', async () => {
    // GIVEN a broken VirtualService in its own file
    const { context, violations, submitted } = fakeContext({ '/out/app.yaml': app('web'), '/out/vs.yaml': virtualService('web', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: purple } }] }]') });

    // WHEN
    await new IstioTrafficValidation().validate(context);

    // THEN
    expect(submitted).toEqual({ status: 'failure', metadata: { errors: '1', warnings: '0', infos: '0' } });
    expect(violations).toEqual([{
      ruleName: 'IST0101 referenced resource not found (ERROR, VirtualService default/web)',
      recommendation: "subset 'purple' of host 'web.default.svc.cluster.local' is not defined by any DestinationRule (defined subsets: 'blue', 'green'): requests routed here get 503 NC",
      fix: "add a subset named 'purple' to the DestinationRule for 'web.default.svc.cluster.local', or route to one of its subsets",
      violatingResources: [{ resourceName: 'web', locations: ['spec.http[0].route[0].destination.subset'], manifestPath: '/out/vs.yaml' }],
    }]);
  });

  test('succeeds on warnings unless failOn says otherwise, and reports info only when asked', async () => {
    // GIVEN an unreachable rule (warning) and a port without protocol (info)
    const yaml = app('web') + service('other', 'default', '{ app: other }', '[{ name: web, port: 8080 }]') + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web, subset: blue } }]
  - match: [{ uri: { prefix: /x } }]
    route: [{ destination: { host: web, subset: green } }]`);

    // WHEN
    const lenient = fakeContext({ 'a.yaml': yaml });
    await new IstioTrafficValidation().validate(lenient.context);
    const strict = fakeContext({ 'a.yaml': yaml });
    await new IstioTrafficValidation({ failOn: FindingSeverity.WARNING, reportFrom: FindingSeverity.INFO }).validate(strict.context);

    // THEN
    expect(lenient.submitted.status).toBe('success');
    expect(lenient.violations.map((v) => v.ruleName)).toEqual(['IST0130 unreachable VirtualService rule (WARNING, VirtualService default/web)']);
    expect(strict.submitted.status).toBe('failure');
    expect(strict.violations.map((v) => v.ruleName.split(' ')[0])).toEqual(['IST0130', 'IST0118']);
  });

  test('passes properties such as knownGateways to the analysis', async () => {
    // GIVEN a VirtualService on a gateway outside the app
    const yaml = app('web') + virtualService('web', '  hosts: [web.example.com]\n  gateways: [istio-system/public]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]');
    const { context, submitted } = fakeContext({ 'a.yaml': yaml });

    // WHEN
    await new IstioTrafficValidation({ knownGateways: ['istio-system/public'] }).validate(context);

    // THEN
    expect(submitted.status).toBe('success');
  });

  test('fails for an unknown severity in the properties', () => {
    // GIVEN failOn: 'FATAL' from a cdk8s.yaml
    // WHEN / THEN
    expect(() => new IstioTrafficValidation({ failOn: 'FATAL' as FindingSeverity })).toThrow("IstioTrafficValidation: invalid failOn 'FATAL': must be one of ERROR, WARNING, INFO");
  });

  test('a gateway in the manifests satisfies references without options', async () => {
    // GIVEN the broken app next to a gateway
    const { context, violations } = fakeContext({ 'a.yaml': BROKEN + GATEWAY });

    // WHEN
    await new IstioTrafficValidation().validate(context);

    // THEN only the undefined subset is reported
    expect(violations.map((v) => v.violatingResources[0].locations[0])).toEqual(['spec.http[0].route[0].destination.subset']);
  });
});

describe('IstioTrafficValidation construct paths', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  test('names each finding\'s construct path with construct metadata off, for objects sharing a name', async () => {
    // GIVEN an app (construct metadata off, as GitOpsApp has it) with a release of this library and
    // two hand-written objects both named 'legacy': a Service whose port declares no protocol and a
    // VirtualService routing to an undefined subset, synthesized the way the cdk8s CLI runs it
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-paths-'));
    process.env.CDK8S_OUTDIR = outdir;
    process.env.CDK8S_RECORD_CONSTRUCT_METADATA = 'true';
    const cdk8sApp = new App({ outdir, recordConstructMetadata: false });
    const chart = new Chart(cdk8sApp, 'demo', { namespace: 'shop' });
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      activeVersion: 'blue',
      versions: [{ name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }) }, { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }],
    });
    new ApiObject(chart, 'legacy-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy' }, spec: { ports: [{ name: 'web', port: 8080 }] } });
    new ApiObject(chart, 'legacy-vs', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'legacy' },
      spec: { hosts: ['legacy'], http: [{ route: [{ destination: { host: 'legacy', subset: 'purple' } }] }] },
    });
    cdk8sApp.synth();
    delete process.env.CDK8S_OUTDIR;
    delete process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
    const manifests = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(outdir, f));

    // WHEN the plugin runs in cdk8s-cli's own validation context, without construct metadata
    const context = new ValidationContext(manifests, 'cdk8s-istio-traffic', '0.0.0', {}, false);
    await new IstioTrafficValidation({ reportFrom: FindingSeverity.INFO }).validate(context);
    context.report.submit('success');

    // THEN each violation names the construct of its own object
    expect(context.report.toJson().violations.map((v: any) => [v.ruleName.split(' ')[0], v.violatingConstructs[0].resourceName, v.violatingConstructs[0].constructPath]))
      .toEqual([
        ['IST0101', 'legacy', 'demo/legacy-vs'],
        ['IST0118', 'legacy', 'demo/legacy-svc'],
      ]);
    // AND the record is consumed, so a later run without it falls back to N/A
    const again = new ValidationContext(manifests, 'cdk8s-istio-traffic', '0.0.0', {}, false);
    await new IstioTrafficValidation().validate(again);
    again.report.submit('failure');
    expect(again.report.toJson().violations.map((v: any) => v.violatingConstructs[0].constructPath)).toEqual([undefined]);
  });
});
