import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { gitopsOutput } from './output-files';
import { build, V2_ROLLOUT } from '../../examples/fleet/app';
import { RouteSimulator, TrafficAnalyzer } from '../../src';
import { clusterFiles } from '../../src/fleet/fleet-folders';
import { formatTrafficDiff } from '../../src/gitops/format-diff';
import { LocatedObject, objectsOfTree, readTree } from '../../src/gitops/manifest-files';
import { OWNED_FILES } from '../../src/gitops/owned-files';
import { diffTraffic } from '../../src/gitops/traffic-diff';
import { readManifestFiles } from '../../src/manifests/manifest-files';
import { CrdSchemas } from '../validation/crd-schema';

const DIST = path.join(__dirname, '..', '..', 'examples', 'fleet', 'dist');
/** Where the example says its output is committed in the repository the engines read. */
const REPO_PATH = './fleet/web-echo/';
const CLUSTERS = ['canary-eu', 'prod-eu', 'prod-us'];

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o);
const committed = readTree(DIST);
const objectsOf = (files: Map<string, string>, cluster: string): LocatedObject[] => {
  const prefix = `clusters/${cluster}/`;
  return objectsOfTree(new Map([...files].filter(([f]) => f.startsWith(prefix)).map(([f, t]) => [f.slice(prefix.length), t])), cluster);
};
const activeVersion = (files: Map<string, string>, cluster: string, host: string) => {
  const result = new RouteSimulator(objectsOf(files, cluster).map((o) => o.object)).route({ host, path: '/', gateway: 'web-echo/web-echo-gateway' });
  return result.destinations.map((d) => `${d.subset} ${d.percentage}%`);
};

describe('examples/fleet: web-echo on three clusters in two stages', () => {
  test('one folder per cluster, the delivery objects of each engine beside them, and FLEET.md', () => {
    // THEN
    for (const file of [...committed.keys()].filter((f) => f !== OWNED_FILES)) {
      expect(file).toMatch(/^(FLEET\.md|clusters\/(canary-eu|prod-eu|prod-us)\/web-echo\/(TRAFFIC\.md|(base|routes)\/.+)|delivery\/(argocd|flux|kurator)\/[a-z-]+\/[A-Za-z]+\.[a-z0-9.-]+\.k8s\.yaml)$/);
    }
    expect([...committed.keys()].filter((f) => f.endsWith('TRAFFIC.md'))).toEqual(CLUSTERS.map((c) => `clusters/${c}/web-echo/TRAFFIC.md`));
  });

  test('v2 serves the canary cluster, v1 both production clusters, each on its own host and replicas', () => {
    // THEN the traffic of each cluster's gateway host
    expect(activeVersion(committed, 'canary-eu', 'canary.service-mesh.dev')).toEqual(['v2 100%']);
    expect(activeVersion(committed, 'prod-eu', 'service-mesh.dev')).toEqual(['v1 100%']);
    expect(activeVersion(committed, 'prod-us', 'us.service-mesh.dev')).toEqual(['v1 100%']);
    const replicas = CLUSTERS.map((c) => docs(committed.get(`clusters/${c}/web-echo/base/web-echo/Deployment.web-echo-v1.k8s.yaml`)!)[0].spec.replicas);
    expect(replicas).toEqual([1, 2, 4]);
    // and FLEET.md says so
    expect(committed.get('FLEET.md')).toContain('| canary | canary-eu | web-echo | v2 | – | canary.service-mesh.dev | 1 |');
    expect(committed.get('FLEET.md')).toContain('| production | prod-us | web-echo | v1 | – | us.service-mesh.dev | 4 |');
  });

  test('promoting the rollout one stage changes only the production clusters, safely', () => {
    // WHEN
    const promoted = gitopsOutput((outdir) => build(outdir, V2_ROLLOUT.promoted()));

    // THEN the canary cluster is untouched, both production clusters move from v1 to v2
    const canary = (files: Map<string, string>) => [...files].filter(([f]) => f.startsWith('clusters/canary-eu/'));
    expect(canary(promoted)).toEqual(canary(committed));
    expect(activeVersion(promoted, 'prod-eu', 'service-mesh.dev')).toEqual(['v2 100%']);
    expect(activeVersion(promoted, 'prod-us', 'us.service-mesh.dev')).toEqual(['v2 100%']);
    for (const cluster of ['prod-eu', 'prod-us']) {
      const diff = diffTraffic(objectsOf(committed, cluster), objectsOf(promoted, cluster));
      expect(diff.problems).toEqual([]);
      expect(diff.changes.map((c) => `${c.kind} ${c.destination}`)).toEqual(expect.arrayContaining([
        'removed web-echo.web-echo.svc.cluster.local:8600 subset v1', 'added web-echo.web-echo.svc.cluster.local:8600 subset v2',
      ]));
    }
    // the delivery objects do not change: they point at folders, not versions
    const delivery = (files: Map<string, string>) => [...files].filter(([f]) => f.startsWith('delivery/'));
    expect(delivery(promoted)).toEqual(delivery(committed));
  });

  test('each Flux Kustomization path renders with kubectl kustomize into exactly the objects of its folder', () => {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (kubectl.error) {
      console.warn(`kubectl is not installed (${kubectl.error.message}): the Flux folders were not rendered with kubectl kustomize`);
      return;
    }
    // GIVEN the Flux Kustomizations and the Istio schemas
    const kustomizations = [...committed].filter(([f]) => f.startsWith('delivery/flux/')).flatMap(([, t]) => docs(t));
    const istio = CrdSchemas.load('istio');
    expect(kustomizations).toHaveLength(6);

    for (const k of kustomizations) {
      // WHEN kustomize builds the folder Flux applies
      expect(k.spec.path.startsWith(REPO_PATH)).toBe(true);
      const folder = k.spec.path.slice(REPO_PATH.length);
      const run = spawnSync('kubectl', ['kustomize', path.join(DIST, folder)], { encoding: 'utf8' });
      expect(run.stderr).toBe('');

      // THEN it holds every object file of that folder, and each Istio object is schema-valid
      const rendered = docs(run.stdout);
      const expected = [...committed.keys()].filter((f) => f.startsWith(`${folder}/`) && f.endsWith('.k8s.yaml'))
        .flatMap((f) => docs(committed.get(f)!));
      const id = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      expect(rendered.map(id).sort()).toEqual(expected.map(id).sort());
      expect(rendered.length).toBeGreaterThan(0);
      const istioObjects = rendered.filter((o) => istio.covers(o));
      expect(istioObjects.flatMap((o) => istio.validate(o))).toEqual([]);
    }
  });

  test('the routes Kustomization of every cluster depends on its base, and each cluster has its kubeconfig', () => {
    // GIVEN
    const kustomizations = [...committed].filter(([f]) => f.startsWith('delivery/flux/')).flatMap(([, t]) => docs(t));

    // THEN
    for (const cluster of CLUSTERS) {
      const base = kustomizations.find((k) => k.metadata.name === `web-echo-${cluster}-web-echo-base`);
      const routes = kustomizations.find((k) => k.metadata.name === `web-echo-${cluster}-web-echo-routes`);
      expect(base.spec).toMatchObject({ wait: true, kubeConfig: { secretRef: { name: `${cluster}-kubeconfig` } } });
      expect(routes.spec).toMatchObject({ dependsOn: [{ name: base.metadata.name }], kubeConfig: base.spec.kubeConfig });
    }
  });

  test('the ApplicationSet makes one Application per cluster, stage by stage, and keeps the objects\' sync waves', () => {
    // GIVEN
    const [set] = docs(committed.get('delivery/argocd/argocd/ApplicationSet.web-echo.k8s.yaml')!);

    // THEN
    expect(set.spec.generators[0].list.elements).toEqual([
      { cluster: 'canary-eu', stage: 'canary', path: 'fleet/web-echo/clusters/canary-eu', destination: 'canary-eu' },
      { cluster: 'prod-eu', stage: 'production', path: 'fleet/web-echo/clusters/prod-eu', destination: 'prod-eu' },
      { cluster: 'prod-us', stage: 'production', path: 'fleet/web-echo/clusters/prod-us', destination: 'production-us-east-1' },
    ]);
    expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values)).toEqual([['canary'], ['production']]);
    expect(set.spec.template.spec.source.directory).toEqual({ recurse: true, include: '*.k8s.yaml' });
    const vs = docs(committed.get('clusters/prod-eu/web-echo/routes/web-echo/VirtualService.web-echo-ingress.k8s.yaml')!)[0];
    const rule = docs(committed.get('clusters/prod-eu/web-echo/base/web-echo/DestinationRule.web-echo.k8s.yaml')!)[0];
    expect([rule, vs].map((o) => o.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['-1', '0']);
  });
});

describe('the README shows the promotion', () => {
  test('the traffic diff in the README is what cdk8s-istio-traffic diff prints for prod-eu', () => {
    // GIVEN the README and the promoted output
    const readme = fs.readFileSync(path.join(DIST, '..', 'README.md'), 'utf8');
    const promoted = gitopsOutput((outdir) => build(outdir, V2_ROLLOUT.promoted()));

    // WHEN
    const diff = diffTraffic(objectsOf(committed, 'prod-eu'), objectsOf(promoted, 'prod-eu'));
    const text = formatTrafficDiff(diff, 'base', 'head');

    // THEN (the base and head lines name a commit, so the README's copy starts at the traffic rows)
    expect(readme).toContain(text.slice(text.indexOf('traffic:')).trim());
  });
});

describe('commands read a fleet output one cluster at a time', () => {
  test('the examples folder splits into the plain outputs and one unit per fleet cluster', () => {
    // WHEN
    const units = clusterFiles([path.join(DIST, '..', '..')]);

    // THEN
    expect(units.map((u) => u.cluster)).toEqual([undefined, ...CLUSTERS.map((c) => `${path.relative(process.cwd(), DIST)}: ${c}`)]);
    expect(units[0].files.some((f) => f.includes(`${path.sep}clusters${path.sep}`))).toBe(false);
    expect(units[0].files.some((f) => f.includes(`fleet${path.sep}dist${path.sep}delivery`))).toBe(true);
    expect(units.slice(1).map((u) => u.files.length)).toEqual([10, 10, 10]);
  });

  test('check finds nothing wrong in a fleet output that repeats the same objects in every cluster', () => {
    // WHEN
    const findings = clusterFiles([DIST]).flatMap((unit) => TrafficAnalyzer.errors(readManifestFiles(unit.files)));

    // THEN
    expect(findings).toEqual([]);
    expect(TrafficAnalyzer.errors(readManifestFiles([DIST])).map((f) => f.code)).toContain('IST0109');
  });
});
