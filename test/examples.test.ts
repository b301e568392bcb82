import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { exampleDist, exampleNames, synthExample } from '../scripts/synth-examples';
import { FLEET_PLAN } from '../src/fleet/fleet-plan';
import { readTree } from '../src/gitops/manifest-files';
import { OWNED_FILES } from '../src/gitops/owned-files';

const REGENERATE = 'run `npx projen examples` and commit examples/*/dist/';

/** Synthesizes an example into a fresh temporary folder and returns its files. */
function synthFresh(name: string): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  try {
    synthExample(name, outdir);
    return readTree(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The object in `<chart>/<Kind>.<name>.k8s.yaml`, wherever the Flux layout put it in the chart folder. */
function manifest(files: Map<string, string>, file: string): any {
  const [chart, base] = file.split('/');
  const key = [...files.keys()].find((k) => k.startsWith(`${chart}/`) && k.endsWith(`/${base}`));
  const text = key !== undefined ? files.get(key) : undefined;
  if (text === undefined) {
    throw new Error(`no ${file} in the output; files are ${[...files.keys()].join(', ')}`);
  }
  return parse(text);
}

test('the examples folder holds the pii-demo and cowsay examples', () => {
  expect(exampleNames()).toEqual(expect.arrayContaining(['cowsay', 'pii-demo']));
});

describe.each(exampleNames())('example %s', (name) => {
  test('committed dist/ is exactly what the example synthesizes', () => {
    // GIVEN
    const committed = readTree(exampleDist(name));

    // WHEN
    const fresh = synthFresh(name);

    // THEN
    const missing = [...fresh.keys()].filter((f) => !committed.has(f));
    const stale = [...committed.keys()].filter((f) => !fresh.has(f));
    const changed = [...fresh.keys()].filter((f) => committed.has(f) && committed.get(f) !== fresh.get(f));
    const problems = [
      ...missing.map((f) => `missing from examples/${name}/dist: ${f}`),
      ...stale.map((f) => `stale in examples/${name}/dist: ${f}`),
      ...changed.map((f) => `out of date: examples/${name}/dist/${f}`),
    ];
    if (problems.length > 0) {
      throw new Error(`${problems.join('\n')}\n${REGENERATE}`);
    }
    expect(committed.size).toBeGreaterThan(0);
  });

  test('synthesis is deterministic', () => {
    // WHEN
    const first = synthFresh(name);
    const second = synthFresh(name);

    // THEN
    expect(second).toEqual(first);
  });

  test('output has no json, one resource per file, and a kustomization and traffic plan per chart', () => {
    // WHEN
    const files = synthFresh(name);
    if (files.has(FLEET_PLAN)) {
      // a fleet: the same layout in every cluster folder (test/fleet/fleet-example.test.ts)
      return;
    }

    // THEN
    for (const [file, text] of [...files].filter(([f]) => f !== OWNED_FILES)) {
      expect(file).toMatch(/^[a-z0-9-]+\/((base|routes)\/(([a-z0-9-]+\/)?[A-Za-z]+\.[a-z0-9.-]+\.k8s\.yaml|kustomization\.yaml)|TRAFFIC\.md)$/);
      expect(text.split(/^---$/m)).toHaveLength(1);
    }
    for (const chart of new Set([...files.keys()].filter((f) => f !== OWNED_FILES).map((f) => f.split('/')[0]))) {
      for (const part of ['base', 'routes']) {
        const objects = [...files.keys()].some((f) => f.startsWith(`${chart}/${part}/`) && f.endsWith('.k8s.yaml'));
        expect(files.has(`${chart}/${part}/kustomization.yaml`)).toBe(objects);
      }
      // a plan for every chart that routes, statically or through Flagger
      const routes = [...files.keys()].some((f) => f.startsWith(`${chart}/routes/`) && /\/(VirtualService|Canary|HTTPRoute|TCPRoute)\./.test(f));
      expect(files.has(`${chart}/TRAFFIC.md`)).toBe(routes);
    }
  });
});

describe('pii-demo output', () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = synthFresh('pii-demo');
  });

  test('each Service selects on the app label only, so both colours are endpoints', () => {
    // THEN
    expect(manifest(files, 'pii-demo/Service.httpd-server.k8s.yaml').spec.selector).toEqual({ app: 'httpd-server' });
    expect(manifest(files, 'pii-demo/Service.mysql-server.k8s.yaml').spec.selector).toEqual({ app: 'mysql-server' });
  });

  test('each DestinationRule has a blue and a green subset', () => {
    for (const service of ['httpd-server', 'mysql-server']) {
      // WHEN
      const rule = manifest(files, `pii-demo/DestinationRule.${service}.k8s.yaml`);

      // THEN
      expect(rule.spec.host).toEqual(`${service}.pii-demo.svc.cluster.local`);
      expect(rule.spec.subsets).toEqual([
        { name: 'blue', labels: { version: 'blue' } },
        { name: 'green', labels: { version: 'green' } },
      ]);
    }
  });

  test('the main host has no subset (round-robin) and each preview host pins one colour', () => {
    // WHEN
    const main = manifest(files, 'pii-demo/VirtualService.httpd-server-ingress.k8s.yaml');
    const blue = manifest(files, 'pii-demo/VirtualService.httpd-server-preview-blue.k8s.yaml');
    const green = manifest(files, 'pii-demo/VirtualService.httpd-server-preview-green.k8s.yaml');

    // THEN
    expect(main.spec.hosts).toEqual(['pii-demo.apps.hl.test']);
    expect(main.spec.http).toHaveLength(1);
    expect(main.spec.http[0].route).toHaveLength(1);
    expect(main.spec.http[0].route[0].destination.subset).toBeUndefined();
    expect(blue.spec.hosts).toEqual(['pii-demo-blue.apps.hl.test']);
    expect(blue.spec.http[0].route[0].destination.subset).toEqual('blue');
    expect(green.spec.hosts).toEqual(['pii-demo-green.apps.hl.test']);
    expect(green.spec.http[0].route[0].destination.subset).toEqual('green');
  });

  test('mysql version affinity routes blue callers to blue and green callers to green over tcp', () => {
    // WHEN
    const vs = manifest(files, 'pii-demo/VirtualService.mysql-server-mesh.k8s.yaml');

    // THEN
    expect(vs.spec.http).toBeUndefined();
    const bySource = vs.spec.tcp
      .filter((rule: any) => rule.match[0].sourceLabels)
      .map((rule: any) => [rule.match[0].sourceLabels.version, rule.route[0].destination.subset]);
    expect(bySource).toEqual([['blue', 'blue'], ['green', 'green']]);
  });

  test('httpd and mysql containers may run as root with a writable filesystem', () => {
    for (const deployment of ['httpd-server-blue', 'httpd-server-green', 'mysql-server-blue', 'mysql-server-green']) {
      // WHEN
      const container = manifest(files, `pii-demo/Deployment.${deployment}.k8s.yaml`).spec.template.spec.containers[0];

      // THEN
      expect(container.securityContext).toMatchObject({ runAsNonRoot: false, readOnlyRootFilesystem: false });
    }
  });

  test('the namespace has sidecar injection enabled', () => {
    expect(manifest(files, 'pii-demo/Namespace.pii-demo.k8s.yaml').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  });
});

describe('cowsay output', () => {
  let files: Map<string, string>;
  beforeAll(() => {
    files = synthFresh('cowsay');
  });

  test('the ingress and mesh VirtualServices route everything to subset v1', () => {
    for (const table of ['ingress', 'mesh']) {
      // WHEN
      const vs = manifest(files, `cowsay/VirtualService.cowsay-${table}.k8s.yaml`);

      // THEN
      const destinations = vs.spec.http.flatMap((rule: any) => rule.route.map((r: any) => r.destination));
      expect(destinations).toEqual([{ host: 'cowsay.cowsay.svc.cluster.local', port: { number: 80 }, subset: 'v1' }]);
    }
  });

  test('the ingress VirtualService serves cowsay.example.com through the created gateway', () => {
    // WHEN
    const vs = manifest(files, 'cowsay/VirtualService.cowsay-ingress.k8s.yaml');
    const gateway = manifest(files, 'cowsay/Gateway.cowsay-gateway.k8s.yaml');

    // THEN
    expect(vs.spec.hosts).toEqual(['cowsay.example.com']);
    expect(vs.spec.gateways).toEqual(['cowsay/cowsay-gateway']);
    expect(gateway.spec.servers[0].hosts).toEqual(['cowsay.example.com']);
  });

  test('v2 stays deployed and keeps its subset while v1 is active', () => {
    // WHEN
    const rule = manifest(files, 'cowsay/DestinationRule.cowsay.k8s.yaml');
    const v2 = manifest(files, 'cowsay/Deployment.cowsay-v2.k8s.yaml');

    // THEN
    expect(rule.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(v2.spec.template.metadata.labels).toMatchObject({ app: 'cowsay', version: 'v2' });
    expect(v2.spec.template.spec.containers[0].image).toEqual('dougbtv/nginx-cowsay:v2');
    expect(v2.spec.template.spec.containers[0].env).toEqual([{ name: 'PICKLE_TYPE', value: 'cowsay-man' }]);
  });
});
