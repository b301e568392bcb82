import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  AllowedCaller, BlueGreen, MutualTls, PortProtocol, RequestProtocol, RouteOutcome, RouteSimulator, TrafficAnalyzer, TrafficPlan, VersionWorkload,
  WorkloadIdentity,
} from '../../src';
import { readManifestFiles } from '../../src/manifests/manifest-files';
import { cli } from '../cli/cli-helpers';
import { summarize } from '../routing';

/**
 * Seed 000's pii-demo "with Istio mTLS", on its committed GitOps output: the database accepts only
 * the web server of its own colour, the web server accepts the ingress gateway and the mesh.
 */
const DIST = path.join(__dirname, '..', '..', 'examples', 'pii-demo', 'dist');
const sim = RouteSimulator.fromDirectory(DIST);

const blueWeb = { sourceNamespace: 'pii-demo', sourceLabels: { app: 'httpd-server', version: 'blue' } };
const toDatabase = { host: 'mysql-server', port: 3306, protocol: RequestProtocol.TCP };

describe('pii-demo: who may call', () => {
  test('the blue web server reaches the blue database', () => {
    // GIVEN a blue httpd pod (its Deployment runs as service account httpd-server-blue)
    // WHEN it connects to MySQL
    const result = sim.route({ ...blueWeb, ...toDatabase });

    // THEN version affinity sends it to the blue database, whose policy admits it
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(summarize(result).to).toEqual({ blue: 100 });
    expect(result.notes).toContain("the caller's service account pii-demo/httpd-server-blue is taken from Deployment/httpd-server-blue, whose pods carry its labels");
  });

  test('a pod in another namespace gets 403 from the database, naming the policies', () => {
    // GIVEN a pod in namespace tools
    // WHEN it connects to mysql-server.pii-demo
    const result = sim.route({ sourceNamespace: 'tools', sourceLabels: { app: 'debug' }, ...toDatabase, host: 'mysql-server.pii-demo' });

    // THEN every database pod denies it: the connection is closed
    expect(result.outcome).toBe(RouteOutcome.FORBIDDEN);
    expect(result.statusCode).toBe(0);
    expect(result.deniedBy).toEqual(['pii-demo/mysql-server-blue', 'pii-demo/mysql-server-green']);
    expect(result.reason).toMatch(/^RBAC: access denied for cluster.local\/ns\/tools\/sa\/default at mysql-server.pii-demo.svc.cluster.local \(ALLOW policy pii-demo\/mysql-server-blue applies/);
  });

  test('the ingress gateway reaches the web server on every host, and so does any pod in the mesh', () => {
    // WHEN the ingress gateway forwards browser requests
    const hosts = ['pii-demo.apps.hl.test', 'pii-demo-blue.apps.hl.test', 'pii-demo-green.apps.hl.test'];
    const results = hosts.map((host) => sim.route({ gateway: 'pii-demo/httpd-server-gateway', host }));

    // THEN each reaches the web server (the gateway runs as istio-system/istio-ingressgateway-service-account)
    expect(results.map((r) => [r.outcome, r.statusCode, summarize(r).to])).toEqual([
      [RouteOutcome.ROUTED, 200, { '*': 100 }],
      [RouteOutcome.ROUTED, 200, { blue: 100 }],
      [RouteOutcome.ROUTED, 200, { green: 100 }],
    ]);
    // AND a pod of another namespace (a mesh identity) reaches the web server
    expect(sim.route({ sourceNamespace: 'tools', host: 'httpd-server.pii-demo' })).toMatchObject({ outcome: RouteOutcome.ROUTED, statusCode: 200 });
  });

  test('the green web server cannot reach the blue database when per-version restriction is on', () => {
    // GIVEN a pod running as the green web server's service account whose request lands on the blue
    // database (labelled blue, so version affinity sends it there)
    const request = { ...blueWeb, sourceServiceAccount: 'httpd-server-green', ...toDatabase };

    // WHEN / THEN the blue database's per-version policy denies it
    const denied = sim.route(request);
    expect(denied.outcome).toBe(RouteOutcome.FORBIDDEN);
    expect(denied.deniedBy).toEqual(['pii-demo/mysql-server-blue']);

    // AND without the per-version restriction the same request is allowed
    expect(piiDemo(false).route(request).outcome).toBe(RouteOutcome.ROUTED);
    expect(piiDemo(true).route(request).outcome).toBe(RouteOutcome.FORBIDDEN);
  });

  test('route --from-service-account reports the 403 and the policy on the command line', () => {
    // WHEN
    const run = cli('route', '--tcp', '--from-namespace', 'pii-demo', '--from-label', 'version=blue', '--from-service-account', 'httpd-server-green', '--host', 'mysql-server', DIST);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('outcome: FORBIDDEN\nstatus: 0\n');
    expect(run.stdout).toContain('denied by: AuthorizationPolicy pii-demo/mysql-server-blue\n');
    expect(run.stdout).toContain('reason: RBAC: access denied for cluster.local/ns/pii-demo/sa/httpd-server-green at subset blue of mysql-server.pii-demo.svc.cluster.local');
  });

  test('the traffic plan shows the allowed callers per release', () => {
    // WHEN
    const markdown = fs.readFileSync(path.join(DIST, 'pii-demo', 'TRAFFIC.md'), 'utf8');

    // THEN
    expect(markdown).toContain([
      '| Service | Pods | mTLS | Policy | Who may call |',
      '| --- | --- | --- | --- | --- |',
      '| httpd-server.pii-demo | all pods | STRICT | ALLOW pii-demo/httpd-server | the ingress gateway (istio-system/istio-ingressgateway-service-account), any workload with a mesh identity |',
      '| mysql-server.pii-demo | version=blue | STRICT | ALLOW pii-demo/mysql-server-blue | Deployment/httpd-server-blue (pii-demo/httpd-server-blue) |',
      '| mysql-server.pii-demo | version=green | STRICT | ALLOW pii-demo/mysql-server-green | Deployment/httpd-server-green (pii-demo/httpd-server-green) |',
    ].join('\n'));
    expect(TrafficPlan.fromDirectory(DIST).toDocument()).toBe(markdown);
    // AND the README shows the same rows
    const table = markdown.split('\n').filter((l) => l.startsWith('| ') && l.includes('STRICT'));
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(table).toHaveLength(3);
    table.forEach((row) => expect(readme).toContain(row));
  });

  test('the analyzer finds nothing wrong with the policies', () => {
    expect(TrafficAnalyzer.analyze(readManifestFiles([DIST]))).toEqual([]);
  });
});

/** The two releases of pii-demo, with or without the per-version restriction on the database. */
function piiDemo(sameVersionCallersOnly: boolean): RouteSimulator {
  const chart = Testing.chart();
  const versions = (image: string) => ['blue', 'green'].map((name) => ({ name, workload: VersionWorkload.container({ image }) }));
  const web = new BlueGreen(chart, 'httpd-server', {
    serviceName: 'httpd-server',
    namespace: 'pii-demo',
    ports: [{ port: 80, protocol: PortProtocol.HTTP }],
    versions: versions('httpd'),
    versionAffinity: true,
    identity: WorkloadIdentity.serviceAccountPerVersion(),
  });
  new BlueGreen(chart, 'mysql-server', {
    serviceName: 'mysql-server',
    namespace: 'pii-demo',
    ports: [{ port: 3306, protocol: PortProtocol.TCP }],
    versions: versions('mysql'),
    versionAffinity: true,
    mtls: MutualTls.strict(),
    allowedCallers: [AllowedCaller.release(web)],
    sameVersionCallersOnly,
  });
  return new RouteSimulator(Testing.synth(chart));
}
