import { app, GATEWAY, parseYaml, service, virtualService } from './fixtures';
import { FindingSeverity, IstioTrafficValidation } from '../../src';

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
