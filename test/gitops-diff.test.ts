import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { cli, EXAMPLES } from './cli/cli-helpers';
import { commitAll, tempDir } from './gitops-fixtures';

/**
 * `cdk8s-istio-traffic diff` on the committed example outputs, changed the way a pull request
 * changes them: each case copies an example's dist/ and edits the YAML.
 */

/** A copy of an example's committed output. */
function exampleCopy(name: string): string {
  const dir = path.join(tempDir('gitops-diff-'), name);
  fs.cpSync(path.join(EXAMPLES, name, 'dist'), dir, { recursive: true });
  return dir;
}

/** Edits the object in `file` (below `dir`); `undefined` from `edit` deletes the file. */
function edit(dir: string, file: string, change: (object: any) => any): void {
  const full = path.join(dir, file);
  const next = change(parse(fs.readFileSync(full, 'utf8')));
  if (next === undefined) {
    fs.rmSync(full);
  } else {
    fs.writeFileSync(full, stringify(next));
  }
}

const COWSAY_ROUTES = ['cowsay/routes/cowsay/VirtualService.cowsay-ingress.k8s.yaml', 'cowsay/routes/cowsay/VirtualService.cowsay-mesh.k8s.yaml'];
const COWSAY_RULE = 'cowsay/base/cowsay/DestinationRule.cowsay.k8s.yaml';

/** Every route of the cowsay VirtualServices to `version`. */
function cowsayRoutesTo(dir: string, version: string): void {
  for (const file of COWSAY_ROUTES) {
    edit(dir, file, (vs) => {
      vs.spec.http.forEach((rule: any) => rule.route.forEach((r: any) => (r.destination.subset = version)));
      return vs;
    });
  }
}

/** Removes cowsay's `version`: its subset and its Deployment. */
function removeCowsayVersion(dir: string, version: string): void {
  edit(dir, COWSAY_RULE, (rule) => ({ ...rule, spec: { ...rule.spec, subsets: rule.spec.subsets.filter((s: any) => s.name !== version) } }));
  edit(dir, `cowsay/base/cowsay/Deployment.cowsay-${version}.k8s.yaml`, () => undefined);
}

describe('cdk8s-istio-traffic diff on the examples', () => {
  test('a switch: the traffic moves from v1 to v2, which is already deployed: safe', () => {
    // GIVEN cowsay with v1 live, and the change that makes v2 live
    const base = exampleCopy('cowsay');
    const head = exampleCopy('cowsay');
    cowsayRoutesTo(head, 'v2');

    // WHEN
    const run = cli('diff', base, head);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual([
      `base: ${base}`,
      `head: ${head}`,
      '',
      'traffic: 4 rows changed',
      '  gateway cowsay/cowsay-gateway, http, cowsay.example.com',
      '    any request',
      '      - cowsay.cowsay.svc.cluster.local:80 subset v1  100%',
      '      + cowsay.cowsay.svc.cluster.local:80 subset v2  100%',
      '  mesh, http, cowsay.cowsay.svc.cluster.local',
      '    any request',
      '      - cowsay.cowsay.svc.cluster.local:80 subset v1  100%',
      '      + cowsay.cowsay.svc.cluster.local:80 subset v2  100%',
      '',
      'verdict: safe (nothing the base routes to is removed, and no route reaches a subset before it exists)',
      '',
    ].join('\n'));
  });

  test('a rollback: the same rows the other way, and still safe', () => {
    const live = exampleCopy('cowsay');
    const switched = exampleCopy('cowsay');
    cowsayRoutesTo(switched, 'v2');
    const run = cli('diff', switched, live);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('      - cowsay.cowsay.svc.cluster.local:80 subset v2  100%\n      + cowsay.cowsay.svc.cluster.local:80 subset v1  100%');
  });

  test('a canary step: shares change, rows stay', () => {
    // GIVEN color at 75/25, and the next step at 50/50
    const base = exampleCopy('color');
    const head = exampleCopy('color');
    edit(head, 'color/routes/color/VirtualService.color-service-ingress.k8s.yaml', (vs) => {
      vs.spec.http[0].route[0].weight = 50;
      vs.spec.http[0].route[1].weight = 50;
      return vs;
    });

    // WHEN
    const run = cli('diff', base, head);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stdout).toContain([
      'traffic: 2 rows changed',
      '  gateway color/color-gateway, http, *',
      '    path /color…',
      '      ~ color-service.color.svc.cluster.local:8000 subset blue  75% → 50%',
      '      ~ color-service.color.svc.cluster.local:8000 subset green  25% → 50%',
    ].join('\n'));
  });

  test('a retirement in two steps: move the traffic, then remove the version: both safe', () => {
    // GIVEN step 1 moves all traffic to v2, step 2 removes v1
    const live = exampleCopy('cowsay');
    const step1 = exampleCopy('cowsay');
    cowsayRoutesTo(step1, 'v2');
    const step2 = exampleCopy('cowsay');
    cowsayRoutesTo(step2, 'v2');
    removeCowsayVersion(step2, 'v1');

    // WHEN / THEN
    expect(cli('diff', live, step1).code).toBe(0);
    const second = cli('diff', step1, step2);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('traffic: no route changes');
    expect(second.stdout).toContain('verdict: safe');
  });

  test('an unsafe removal: v1 goes in the same change that moves its traffic away; exit code 1', () => {
    // GIVEN
    const live = exampleCopy('cowsay');
    const head = exampleCopy('cowsay');
    cowsayRoutesTo(head, 'v2');
    removeCowsayVersion(head, 'v1');

    // WHEN
    const run = cli('diff', live, head);

    // THEN
    expect(run.code).toBe(1);
    expect(run.stdout).toContain([
      'verdict: unsafe (1 problem)',
      "  - version 'v1' of cowsay.cowsay.svc.cluster.local is removed while the base output still routes traffic to it (VirtualService cowsay/cowsay-ingress): retire it first (retired: true), let that change sync, then remove it",
    ].join('\n'));
  });

  test('removing the workload of a routed version is unsafe too', () => {
    const live = exampleCopy('cowsay');
    const head = exampleCopy('cowsay');
    edit(head, 'cowsay/base/cowsay/Deployment.cowsay-v1.k8s.yaml', () => undefined);
    const run = cli('diff', live, head);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the workloads of version 'v1' of cowsay.cowsay.svc.cluster.local (Deployment cowsay/cowsay-v1) are removed while the base output still routes traffic to them");
  });

  test('a route to a subset created in the same change: safe only when the output orders them', () => {
    // GIVEN a new version v3 (subset and Deployment) that gets the traffic in the same change
    const live = exampleCopy('cowsay');
    const ordered = exampleCopy('cowsay');
    edit(ordered, COWSAY_RULE, (rule) => ({ ...rule, spec: { ...rule.spec, subsets: [...rule.spec.subsets, { name: 'v3', labels: { version: 'v3' } }] } }));
    cowsayRoutesTo(ordered, 'v3');

    // WHEN the example's layout applies base/ (subset) before routes/ and has sync waves: safe
    expect(cli('diff', live, ordered).code).toBe(0);

    // WHEN the same objects sit in one folder without waves: unsafe
    const flat = path.join(tempDir('gitops-diff-'), 'flat');
    for (const dir of [live, ordered]) {
      const target = dir === live ? `${flat}-base` : flat;
      fs.mkdirSync(target, { recursive: true });
      for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.k8s.yaml'))) {
        const object = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
        delete object.metadata.annotations;
        fs.writeFileSync(path.join(target, path.basename(file)), stringify(object));
      }
    }
    const run = cli('diff', `${flat}-base`, flat);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("VirtualService cowsay/cowsay-ingress sends traffic to version 'v3' of cowsay.cowsay.svc.cluster.local, whose subset this change creates, and nothing applies the DestinationRule cowsay/cowsay before the route");
  });
});

describe('cdk8s-istio-traffic diff with git refs', () => {
  test('<ref>:<folder> and --dir compare committed outputs', () => {
    // GIVEN a repository where the second commit makes v2 live
    const repo = tempDir('gitops-diff-repo-');
    fs.cpSync(path.join(EXAMPLES, 'cowsay', 'dist'), path.join(repo, 'deploy'), { recursive: true });
    commitAll(repo, 'v1 live');
    cowsayRoutesTo(path.join(repo, 'deploy'), 'v2');
    commitAll(repo, 'v2 live');

    // WHEN
    const previous = process.cwd();
    process.chdir(repo);
    try {
      const byRefs = cli('diff', '--dir', 'deploy', 'HEAD~1', 'HEAD');
      const mixed = cli('diff', 'HEAD~1:deploy', 'deploy');

      // THEN
      expect(byRefs.code).toBe(0);
      expect(byRefs.stdout).toMatch(/^base: HEAD~1:deploy \(commit [0-9a-f]{12}\)\nhead: HEAD:deploy \(commit [0-9a-f]{12}\)\n/);
      expect(byRefs.stdout).toContain('+ cowsay.cowsay.svc.cluster.local:80 subset v2  100%');
      expect(mixed.stdout.split('\n').slice(3)).toEqual(byRefs.stdout.split('\n').slice(3));
      expect(cli('diff', 'nope:deploy', 'deploy')).toMatchObject({ code: 2, stderr: expect.stringContaining("'nope' is not a commit in the git repository") });
    } finally {
      process.chdir(previous);
    }
  });

  test('usage errors exit with code 2', () => {
    expect(cli('diff', 'only-one')).toMatchObject({ code: 2, stderr: expect.stringContaining('expected <base> and <head>, got 1 argument') });
    expect(cli('diff', 'no-such-folder', 'other')).toMatchObject({ code: 2, stderr: expect.stringContaining("'no-such-folder' is neither a folder nor <ref>:<folder>") });
    expect(cli('diff', '--help').stdout).toContain('usage: cdk8s-istio-traffic diff [options] <base> <head>');
  });
});
