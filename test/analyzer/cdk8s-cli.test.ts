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
function synth(subset: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-validation-'));
  try {
    const plugin = path.join(dir, 'plugin.js');
    fs.writeFileSync(plugin, [
      `require(${JSON.stringify(path.join(REPO, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(REPO, 'test', 'tsconfig.json'))} });`,
      `module.exports = require(${JSON.stringify(path.join(REPO, 'src', 'analyzer', 'validation-plugin'))});`,
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'main.js'), `
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
`);
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

  test('passes the synth of the same app routing to a defined subset', () => {
    // WHEN
    const { status, output } = synth('blue');

    // THEN
    expect(output).toContain('Validations ended succesfully');
    expect(status).toBe(0);
  }, 60_000);
});
