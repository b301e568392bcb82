import * as fs from 'fs';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { BLUE_GREEN, commitAll, folderSnapshot, git, synthWeb, tempDir } from './gitops-fixtures';
import { BlueGreen, GitOpsApp, PortProtocol } from '../src';
import { readTree } from '../src/gitops/manifest-files';
import { OWNED_FILES } from '../src/gitops/owned-files';

describe('output layout', () => {
  test('one folder per chart and namespace, one file per resource, no json, and a list of what was written', () => {
    // WHEN
    const files = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue');

    // THEN
    expect([...files.keys()].sort()).toEqual([
      OWNED_FILES,
      'shop/TRAFFIC.md',
      'shop/shop/DestinationRule.web.k8s.yaml', 'shop/shop/Gateway.web-gateway.k8s.yaml', 'shop/shop/Service.web.k8s.yaml',
      'shop/shop/VirtualService.web-ingress.k8s.yaml', 'shop/shop/VirtualService.web-mesh.k8s.yaml',
    ]);
    expect(files.get(OWNED_FILES)!.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([...files.keys()].filter((f) => f !== OWNED_FILES).sort());
  });

  test('each file holds exactly the bytes cdk8s writes for the object', () => {
    // GIVEN
    const app = new GitOpsApp({ outdir: path.join(tempDir(), 'dist') });
    const chart = new Chart(app, 'shop');
    new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: [{ port: 80, protocol: PortProtocol.HTTP }], versions: BLUE_GREEN, activeVersion: 'blue' });
    const expected = chart.toJson().find((o: any) => o.kind === 'DestinationRule');

    // WHEN
    app.synth();

    // THEN
    const written = fs.readFileSync(path.join(app.outdir, 'shop', 'shop', 'DestinationRule.web.k8s.yaml'), 'utf8');
    expect(parse(written)).toEqual(expected);
    expect(written).toEqual(Yaml.stringify(expected));
  });

  test('two releases of one serviceName in two namespaces write all their objects', () => {
    // GIVEN the same serviceName in team-a and team-b, in one chart
    const outdir = path.join(tempDir(), 'dist');
    const app = new GitOpsApp({ outdir });
    const chart = new Chart(app, 'platform');
    for (const team of ['team-a', 'team-b']) {
      new BlueGreen(chart, team, { serviceName: 'web', namespace: team, ports: [{ port: 80, protocol: PortProtocol.HTTP }], hosts: [`${team}.example.com`], versions: BLUE_GREEN, activeVersion: 'blue' });
    }

    // WHEN
    app.synth();

    // THEN every object has its own file, and each file names its own namespace
    const files = readTree(outdir);
    const manifests = [...files].filter(([f]) => f.endsWith('.k8s.yaml'));
    expect(manifests).toHaveLength(10);
    for (const [file, text] of manifests) {
      expect(file.split('/')[1]).toEqual(parse(text).metadata.namespace);
    }
    expect(files.has('platform/team-a/Service.web.k8s.yaml') && files.has('platform/team-b/Service.web.k8s.yaml')).toBe(true);
  });

  test('the same code gives the same bytes', () => {
    const first = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue', { argoCdSyncWaves: true, fluxKustomizations: true });
    const second = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue', { argoCdSyncWaves: true, fluxKustomizations: true });
    expect(second).toEqual(first);
  });

  test('stale files of the previous output are removed', () => {
    // GIVEN an output with a traffic plan, and one of its files edited by hand
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    fs.writeFileSync(path.join(outdir, 'shop', 'shop', 'Service.web.k8s.yaml'), 'edited by hand\n');

    // WHEN a synthesis writes fewer files
    const files = synthWeb(outdir, BLUE_GREEN, 'blue', { trafficPlan: false });

    // THEN
    expect(files.has('shop/TRAFFIC.md')).toBe(false);
    expect(files.get('shop/shop/Service.web.k8s.yaml')).toContain('kind: Service');
  });

  test('the traffic plan says who goes where', () => {
    const plan = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'green').get('shop/TRAFFIC.md')!;
    expect(plan).toContain('web.example.com');
    expect(plan).toMatch(/green[^\n]*100/);
    expect(plan).toContain('```mermaid');
  });
});

describe('output folder under the cdk8s CLI', () => {
  const saved = process.env.CDK8S_OUTDIR;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = saved;
    }
  });

  test('without outdir, the app writes where the CLI asks (CDK8S_OUTDIR)', () => {
    // GIVEN
    const asked = path.join(tempDir(), 'manifests');
    process.env.CDK8S_OUTDIR = asked;

    // WHEN
    const app = new GitOpsApp();
    new Chart(app, 'empty');
    app.synth();

    // THEN
    expect(app.outdir).toEqual(asked);
    expect(fs.readdirSync(asked)).toEqual([OWNED_FILES]);
  });

  test('an outdir that differs from CDK8S_OUTDIR is an error naming both', () => {
    process.env.CDK8S_OUTDIR = 'dist';
    expect(() => new GitOpsApp({ outdir: 'deploy' }))
      .toThrow("GitOpsApp outdir 'deploy' is not the folder the cdk8s CLI writes to (CDK8S_OUTDIR 'dist', from 'output' in cdk8s.yaml or --output): the CLI would not find the output; leave outdir out and set 'output: deploy' in cdk8s.yaml, or make them the same");
  });

  test('the same folder given both ways is fine', () => {
    process.env.CDK8S_OUTDIR = 'deploy';
    expect(new GitOpsApp({ outdir: './deploy' }).outdir).toEqual('./deploy');
  });

  test('without either, the output goes to dist', () => {
    delete process.env.CDK8S_OUTDIR;
    expect(new GitOpsApp().outdir).toEqual('dist');
  });
});

describe('make-before-break ordering', () => {
  test('argo cd sync waves put workloads and subsets before routes', () => {
    const files = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue', { argoCdSyncWaves: true });
    const wave = (file: string) => parse(files.get(`shop/shop/${file}`)!).metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(wave('Service.web.k8s.yaml')).toBe('-2');
    expect(wave('DestinationRule.web.k8s.yaml')).toBe('-1');
    expect(wave('Gateway.web-gateway.k8s.yaml')).toBe('-1');
    expect(wave('VirtualService.web-ingress.k8s.yaml')).toBe('0');
  });

  test('no waves unless asked for', () => {
    const files = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue');
    expect(files.get('shop/shop/Service.web.k8s.yaml')).not.toContain('sync-wave');
  });

  test('flux layout: routes in their own kustomization, listed exactly', () => {
    const files = synthWeb(path.join(tempDir(), 'dist'), BLUE_GREEN, 'blue', { fluxKustomizations: true });
    expect(parse(files.get('shop/base/kustomization.yaml')!).resources).toEqual(['shop/DestinationRule.web.k8s.yaml', 'shop/Gateway.web-gateway.k8s.yaml', 'shop/Service.web.k8s.yaml']);
    expect(parse(files.get('shop/routes/kustomization.yaml')!).resources).toEqual(['shop/VirtualService.web-ingress.k8s.yaml', 'shop/VirtualService.web-mesh.k8s.yaml']);
    for (const name of parse(files.get('shop/routes/kustomization.yaml')!).resources) {
      expect(files.has(`shop/routes/${name}`)).toBe(true);
    }
  });
});

describe('retiring a version in two steps', () => {
  test('fails to remove a version that still gets traffic, names the baseline, and leaves the folder as it was', () => {
    // GIVEN blue serves everyone
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    const before = folderSnapshot(outdir);

    // WHEN blue is removed in the same change that moves traffic to green
    // THEN
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green'))
      .toThrow(`unsafe change in ${outdir} compared with the folder on disk ('${outdir}' is not in a git work tree):\n  version 'blue' of web.shop.svc.cluster.local is removed while the base output still routes traffic to it (VirtualService shop/web-ingress): retire it first (retired: true), let that change sync, then remove it\nthe output folder was left as it was`);
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('retire first, then remove', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    synthWeb(outdir, [{ name: 'blue', retired: true }, { name: 'green' }], 'green');
    const after = synthWeb(outdir, [{ name: 'green' }], 'green');
    expect(parse(after.get('shop/shop/DestinationRule.web.k8s.yaml')!).spec.subsets.map((s: any) => s.name)).toEqual(['green']);
  });

  test('removing a version that got no traffic is fine in one change', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, [{ name: 'blue' }, { name: 'green' }, { name: 'canary' }], 'blue');
    expect(() => synthWeb(outdir, BLUE_GREEN, 'blue')).not.toThrow();
  });

  test('routing to a version created in the same change needs sync waves or the flux layout', () => {
    // GIVEN blue only
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, [{ name: 'blue' }], 'blue');

    // WHEN green is added and gets the traffic in one change, with nothing to order them
    // THEN
    expect(() => synthWeb(outdir, BLUE_GREEN, 'green')).toThrow(/VirtualService shop\/web-ingress sends traffic to version 'green' of web.shop.svc.cluster.local, whose subset this change creates/);
    expect(() => synthWeb(outdir, BLUE_GREEN, 'green', { argoCdSyncWaves: true })).not.toThrow();
  });

  test('checkRetirement: false writes the change anyway', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green', { checkRetirement: false })).not.toThrow();
  });
});

describe('the baseline is the last committed output', () => {
  test('read from git at HEAD, even when the folder on disk is gone (as under cdk8s synth)', () => {
    // GIVEN a repository whose last commit has blue serving everyone
    const repo = tempDir('gitops-repo-');
    const outdir = path.join(repo, 'deploy');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    commitAll(repo, 'blue live');
    fs.rmSync(outdir, { recursive: true });

    // WHEN blue is removed in one change
    // THEN the error names the commit it compared with
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green'))
      .toThrow(new RegExp('compared with the last committed output, HEAD:deploy \\(commit [0-9a-f]{12}\\):\\n  version \'blue\' of web'));
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('a configurable ref: the change is judged against what that ref holds', () => {
    // GIVEN main has blue live, and a later commit already retired blue
    const repo = tempDir('gitops-repo-');
    const outdir = path.join(repo, 'deploy');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    commitAll(repo, 'blue live');
    git(repo, 'tag', 'live');
    synthWeb(outdir, [{ name: 'blue', retired: true }, { name: 'green' }], 'green');
    commitAll(repo, 'retire blue');

    // WHEN blue is removed
    // THEN it is safe against HEAD, unsafe against the tag that is still live
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green', { baselineRef: 'live' })).toThrow(/compared with the last committed output, live:deploy/);
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green')).not.toThrow();
  });

  test('a ref that does not exist is an error, not a silent fallback', () => {
    const repo = tempDir('gitops-repo-');
    commitAll(repo, 'empty');
    expect(() => synthWeb(path.join(repo, 'deploy'), BLUE_GREEN, 'blue', { baselineRef: 'origin/nope' }))
      .toThrow(`'origin/nope' is not a commit in the git repository '${fs.realpathSync(repo)}'; name a branch, tag or commit that exists`);
  });

  test('a folder not committed yet is judged against the folder on disk, and says so', () => {
    // GIVEN a repository without the output committed
    const repo = tempDir('gitops-repo-');
    commitAll(repo, 'empty');
    const outdir = path.join(repo, 'deploy');
    synthWeb(outdir, BLUE_GREEN, 'blue');

    // THEN
    expect(() => synthWeb(outdir, [{ name: 'green' }], 'green')).toThrow('compared with the folder on disk (\'deploy\' is not committed at HEAD)');
  });
});
