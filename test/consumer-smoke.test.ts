import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { TrafficPlan } from '../src';

/**
 * Installs the package exactly as a user gets it (npm pack, then npm install of the tarball into a
 * new cdk8s TypeScript app) and runs the cdk8s CLI on it. Unit tests import src/ directly, so only
 * this test notices a wrong `main`/`types` entry, a missing file in the tarball, unusable published
 * types or a dependency that is not declared.
 */

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const TIMEOUT_MS = 300_000;

/** Files the package needs; the entry points come from package.json itself. */
const REQUIRED_FILES = ['package.json', '.jsii', 'README.md', 'lib/imports/networking.istio.io.js', 'lib/imports/networking.istio.io.d.ts'];
/**
 * Everything else (sources, tests, examples, benchmarks, CI files) stays out of the package, so a new
 * top-level folder has to be added here or to .npmignore (through .projenrc.ts) on purpose.
 * node_modules/ holds the bundled dependencies; bin/ is added when package.json declares commands.
 */
const ALLOWED_TOP_LEVEL = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'lib', 'node_modules'];

const MAIN_TS = `
import { App, Chart, YamlOutputType } from 'cdk8s';
import { BlueGreen, PortProtocol, VersionWorkload } from 'cdk8s-istio-traffic';

const app = new App({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const release: BlueGreen = new BlueGreen(chart, 'web', {
  serviceName: 'web',
  ports: [{ port: 80, protocol: PortProtocol.HTTP }],
  hosts: ['web.example.com'],
  versions: [
    { name: 'blue', workload: VersionWorkload.container({ image: 'nginx:1.27' }) },
    { name: 'green', workload: VersionWorkload.container({ image: 'nginx:1.28' }) },
  ],
  activeVersion: 'green',
});
const active: string | undefined = release.activeVersion;
console.log('active version', active);
app.synth();
`;

/** A platform of 2,502 releases in three charts (10,008 objects). */
const LARGE_GITOPS_MAIN_JS = `
const { Chart } = require('cdk8s');
const { BlueGreen, Canary, GatewayBinding, GitOpsApp, PortProtocol } = require('cdk8s-istio-traffic');

const app = new GitOpsApp();
for (let c = 0; c < 3; c++) {
  const chart = new Chart(app, 'team-' + c);
  for (let i = 0; i < 834; i++) {
    const name = 'svc-' + c + '-' + i;
    const common = { serviceName: name, namespace: 'team-' + c, ports: [{ port: 80, protocol: PortProtocol.HTTP }], hosts: [name + '.example.com'],
      gateway: GatewayBinding.fromReference('istio-system/public') };
    if (i % 2 === 0) {
      new BlueGreen(chart, name, { ...common, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'green' });
    } else {
      new Canary(chart, name, { ...common, stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: 10 });
    }
  }
}
app.synth();
`;

/** Step `blue-live`: blue gets the traffic; step `blue-removed`: blue is gone and green gets it. */
const GITOPS_MAIN_JS = `
const { Chart } = require('cdk8s');
const { BlueGreen, GitOpsApp, PortProtocol } = require('cdk8s-istio-traffic');

const app = new GitOpsApp({ argoCdSyncWaves: true });
const chart = new Chart(app, 'shop');
const removed = process.env.STEP === 'blue-removed';
new BlueGreen(chart, 'web', {
  serviceName: 'web',
  namespace: 'shop',
  ports: [{ port: 80, protocol: PortProtocol.HTTP }],
  hosts: ['web.example.com'],
  versions: removed ? [{ name: 'green' }] : [{ name: 'blue' }, { name: 'green' }],
  activeVersion: removed ? 'green' : 'blue',
});
app.synth();
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    strict: true,
    // Our own .d.ts files must type-check too, not only the names main.ts uses.
    skipLibCheck: false,
    types: [],
  },
  files: ['main.ts'],
};

interface PackResult {
  readonly filename: string;
  readonly files: { path: string }[];
}

/** Runs a command and returns its stdout, or throws with everything it printed. */
function run(what: string, command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  if (result.error || result.status !== 0) {
    const reason = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`${what} failed (${reason}): ${command} ${args.join(' ')} in ${cwd}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function readManifests(dir: string): any[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.k8s.yaml'))
    .sort()
    .map((file) => parse(fs.readFileSync(path.join(dir, file), 'utf8')));
}

describe('consumer smoke test', () => {
  let work: string;
  let packed: PackResult;
  let app: string;

  beforeAll(() => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const field of ['main', 'types']) {
      const entry = pkg[field];
      if (typeof entry !== 'string') {
        throw new Error(`package.json has no ${field} field: consumers could not load the library`);
      }
      if (!fs.existsSync(path.join(ROOT, entry))) {
        throw new Error(`package.json ${field} '${entry}' does not exist: run \`npx projen compile\` before the tests (this test packs the compiled lib/)`);
      }
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-traffic-smoke-'));

    // the package as npm would publish it, installed once into a new cdk8s app that depends on
    // nothing but the tarball (npm adds the peers); both tests below use it
    [packed] = JSON.parse(run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], ROOT));
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'smoke-app', version: '0.0.0', private: true }, undefined, 2));
    run('npm install', 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, packed.filename)], app);
  }, TIMEOUT_MS);

  afterAll(() => {
    if (work) {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test('the packed library installs, type-checks and synthesizes in a new cdk8s app', () => {
    // GIVEN: the package as npm would publish it
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const shipped = packed.files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining([...REQUIRED_FILES, pkg.main, pkg.types]));
    const allowed = [...ALLOWED_TOP_LEVEL, ...Object.values<string>(pkg.bin ?? {}).map((bin) => bin.split('/')[0])];
    expect(shipped.filter((file) => !allowed.includes(file.split('/')[0]))).toEqual([]);

    // GIVEN: a new cdk8s app in the installed folder
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, undefined, 2));
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');
    fs.writeFileSync(path.join(app, 'main.ts'), MAIN_TS);

    // WHEN
    run('type-checking main.ts against the published types', path.join(BIN, 'tsc'), ['-p', app], app);
    run('cdk8s synth', path.join(BIN, 'cdk8s'), ['synth', '--no-check-upgrade'], app);

    // THEN
    const manifests = readManifests(path.join(app, 'dist'));
    const find = (kind: string, name: string) => {
      const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
      if (!found) {
        throw new Error(`no ${kind} ${name} in the synthesized app; got ${manifests.map((m) => `${m.kind} ${m.metadata.name}`).join(', ')}`);
      }
      return found;
    };
    const ingress = find('VirtualService', 'web-ingress');
    expect(ingress.apiVersion).toEqual('networking.istio.io/v1');
    expect(ingress.metadata.namespace).toEqual('shop');
    expect(ingress.spec.hosts).toEqual(['web.example.com']);
    expect(ingress.spec.http[0].route).toEqual([{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 }, subset: 'green' } }]);
    expect(find('Service', 'web').spec.selector).toEqual({ app: 'web' });
    expect(find('DestinationRule', 'web').spec.subsets.map((s: any) => s.name)).toEqual(['blue', 'green']);
    expect(find('Deployment', 'web-blue').spec.template.metadata.labels).toMatchObject({ app: 'web', version: 'blue' });
    expect(fs.readdirSync(path.join(app, 'dist'))).toEqual(['shop']);
  }, TIMEOUT_MS);

  test('GitOpsApp under the real `cdk8s synth`: writes where cdk8s.yaml says, and refuses to remove a version the last commit still routes to', () => {
    // GIVEN: a GitOps app in its own Git repository, with `output` in cdk8s.yaml and no outdir in code
    const repo = path.join(app, 'gitops');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'cdk8s.yaml'), 'app: node main.js\noutput: deploy\n');
    fs.writeFileSync(path.join(repo, 'main.js'), GITOPS_MAIN_JS);
    const git = (...args: string[]) => run('git', 'git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], repo);
    git('init', '-q');
    const synth = (step: string) => spawnSync(path.join(BIN, 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: repo, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', STEP: step } });

    // WHEN: blue is live, synthesized and committed
    const first = synth('blue-live');
    expect(first.stderr).toEqual('');
    expect(first.status).toBe(0);
    const deploy = path.join(repo, 'deploy');
    expect(fs.readFileSync(path.join(deploy, 'shop', 'shop', 'VirtualService.web-ingress.k8s.yaml'), 'utf8')).toContain('subset: blue');
    git('add', '-A');
    git('commit', '-q', '-m', 'blue live');

    // WHEN: the next change removes blue while moving its traffic to green
    const second = synth('blue-removed');

    // THEN: the synthesis fails, naming the version and the commit it compared with
    expect(second.status).not.toBe(0);
    const output = `${second.stdout}\n${second.stderr}`;
    expect(output).toContain("version 'blue' of web.shop.svc.cluster.local is removed while the base output still routes traffic to it (VirtualService shop/web-ingress)");
    expect(output).toMatch(/compared with the last committed output, HEAD:deploy \(commit [0-9a-f]{12}\)/);
  }, TIMEOUT_MS);

  test('a GitOpsApp of 2,502 releases under the real `cdk8s synth`: every chart gets the traffic plan its manifests give', () => {
    // GIVEN: three charts of 834 releases each (10,008 objects)
    const dir = path.join(app, 'large');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node main.js\noutput: deploy\n');
    fs.writeFileSync(path.join(dir, 'main.js'), LARGE_GITOPS_MAIN_JS);

    // WHEN
    const result = spawnSync(path.join(BIN, 'cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

    // THEN: it succeeds, and each chart's TRAFFIC.md is the plan of that chart's written manifests
    expect(result.stderr).toEqual('');
    expect(result.status).toBe(0);
    const deploy = path.join(dir, 'deploy');
    expect(fs.readdirSync(deploy).sort()).toEqual(['.gitops-app-files', 'team-0', 'team-1', 'team-2']);
    for (const chart of ['team-0', 'team-1', 'team-2']) {
      const written = fs.readFileSync(path.join(deploy, chart, 'TRAFFIC.md'), 'utf8');
      expect(written).toEqual(TrafficPlan.fromDirectory(path.join(deploy, chart)).toDocument());
      expect(written).toContain(`## svc-${chart.slice(-1)}-833.${chart}`);
    }
    expect(readManifests(deploy)).toHaveLength(10_008);
  }, TIMEOUT_MS);
});
