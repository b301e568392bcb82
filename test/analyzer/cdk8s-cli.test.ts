import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.join(__dirname, '..', '..');
const CDK8S = path.join(REPO, 'node_modules', '.bin', 'cdk8s');

/**
 * Writes a plain-JS cdk8s app with hand-written Istio objects, a shim that loads the plugin from
 * this repo's TypeScript source (no compile, no network), and a cdk8s.yaml using the local-path
 * plugin form, then runs the real `cdk8s synth` there.
 */
function synth(subset: string, main = plainApp(subset)): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-validation-'));
  try {
    const plugin = path.join(dir, 'plugin.js');
    fs.writeFileSync(plugin, [
      `require(${JSON.stringify(path.join(REPO, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(REPO, 'test', 'tsconfig.json'))} });`,
      `module.exports = require(${JSON.stringify(path.join(REPO, 'src', 'analyzer', 'validation-plugin'))});`,
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'main.js'), main);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
      'language: typescript',
      'app: node main.js',
      'validations:',
      `  - package: ${JSON.stringify(plugin)}`,
      '    version: 0.0.0',
      '    class: IstioTrafficValidation',
    ].join('\n'));
    const result = spawnSync(CDK8S, ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain cdk8s App with a hand-written Service, DestinationRule and VirtualService, all named 'web'. */
function plainApp(subset: string): string {
  return `
const { App, Chart, ApiObject } = require(${JSON.stringify(path.join(REPO, 'node_modules', 'cdk8s'))});
const app = new App();
const chart = new Chart(app, 'demo', { namespace: 'shop' });
new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } });
new ApiObject(chart, 'dr', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web' },
  spec: { host: 'web', subsets: [{ name: 'blue', labels: { version: 'blue' } }] } });
new ApiObject(chart, 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web' },
  spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: ${JSON.stringify(subset)} } }] }] } });
app.synth();
`;
}

/** A GitOpsApp (construct metadata off) with a release and a hand-written VirtualService named like its Service. */
const GITOPS_APP = `
require(${JSON.stringify(path.join(REPO, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(REPO, 'test', 'tsconfig.json'))} });
const { ApiObject, Chart } = require(${JSON.stringify(path.join(REPO, 'node_modules', 'cdk8s'))});
const { BlueGreen, GitOpsApp, PortProtocol, VersionWorkload } = require(${JSON.stringify(path.join(REPO, 'src'))});
const app = new GitOpsApp();
const chart = new Chart(app, 'demo', { namespace: 'shop' });
new BlueGreen(chart, 'web', { serviceName: 'web', ports: [{ port: 80, protocol: PortProtocol.HTTP }], activeVersion: 'blue',
  versions: [{ name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }) }, { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }] });
new ApiObject(chart, 'legacy-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy' }, spec: { ports: [{ name: 'http', port: 80 }] } });
new ApiObject(chart, 'legacy-vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'legacy' },
  spec: { hosts: ['legacy'], http: [{ route: [{ destination: { host: 'legacy', subset: 'purple' } }] }] } });
app.synth();
`;

describe('cdk8s synth with the IstioTrafficValidation plugin', () => {
  test('fails the synth of an app whose hand-written VirtualService routes to an undefined subset', () => {
    // WHEN
    const { status, output } = synth('purple');

    // THEN
    expect(status).toBe(2);
    expect(output).toContain('IST0101 referenced resource not found (ERROR, VirtualService shop/web)');
    expect(output).toContain("subset 'purple' of host 'web.shop.svc.cluster.local' is not defined by any DestinationRule (defined subsets: 'blue')");
    expect(output).toContain('spec.http[0].route[0].destination.subset');
    expect(output).toContain('Validation failed');
  }, 60_000);

  test('names the construct path of the violating object in a GitOpsApp, which records no construct metadata', () => {
    // WHEN
    const { status, output } = synth('', GITOPS_APP);

    // THEN the VirtualService's own construct, not the Service of the same name
    expect(status).toBe(2);
    expect(output).toContain('IST0101 referenced resource not found (ERROR, VirtualService shop/legacy)');
    expect(output).toContain('Construct Path: demo/legacy-vs');
    expect(output).not.toContain('N/A');
  }, 120_000);

  test('passes the synth of the same app routing to a defined subset', () => {
    // WHEN
    const { status, output } = synth('blue');

    // THEN
    expect(output).toContain('Validations ended succesfully');
    expect(status).toBe(0);
  }, 60_000);
});
