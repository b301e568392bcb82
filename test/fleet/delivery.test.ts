import { parseAllDocuments } from 'yaml';
import { ApplicationSetGenerator, FleetDelivery } from '../../src';
import { allDeliveries, CLUSTERS, REPO, shopFleet, STAGES } from './fleet-fixtures';
import { gitopsOutput } from './output-files';

const objects = (files: Map<string, string>, folder: string) => [...files]
  .filter(([f]) => f.startsWith(folder) && f.endsWith('.k8s.yaml')).map(([, t]) => parseAllDocuments(t)[0].toJS());

describe('delivery objects', () => {
  test('ArgoCD Applications: one per cluster, each at its folder, destination and stage wave', () => {
    // WHEN
    const files = gitopsOutput((outdir) => shopFleet({ activeVersion: 'blue' }, {
      outdir, clusters: [CLUSTERS[0], { ...CLUSTERS[1], argoCdServer: 'https://eu-1.example.com:6443' }, CLUSTERS[2]], deliveries: allDeliveries(),
    }).fleet);

    // THEN
    const apps = objects(files, 'delivery/argocd/');
    expect(apps.map((a) => [a.metadata.name, a.metadata.annotations['argocd.argoproj.io/sync-wave'], a.metadata.labels['cdk8s-istio-traffic/stage'], a.spec.source.path, a.spec.destination]))
      .toEqual([
        ['shop-canary-1', '0', 'canary', 'deploy/shop/clusters/canary-1', { name: 'canary-1' }],
        ['shop-eu-1', '1', 'main', 'deploy/shop/clusters/eu-1', { server: 'https://eu-1.example.com:6443' }],
        ['shop-us-1', '1', 'main', 'deploy/shop/clusters/us-1', { name: 'us-1' }],
      ]);
    expect(apps[0].spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true } });
  });

  test('ApplicationSet with the Git directory generator: one Application per cluster folder', () => {
    // WHEN
    const files = gitopsOutput((outdir) => shopFleet({ activeVersion: 'blue' }, {
      outdir, deliveries: [FleetDelivery.argoCdApplicationSet({ repoUrl: REPO, repoPath: './deploy/shop/', generator: ApplicationSetGenerator.GIT_DIRECTORIES })],
    }).fleet);

    // THEN
    const [set] = objects(files, 'delivery/argocd/');
    expect(set.spec.generators).toEqual([{ git: { repoURL: REPO, revision: 'HEAD', directories: [{ path: 'deploy/shop/clusters/*' }] } }]);
    expect(set.spec.template.spec.destination).toEqual({ name: '{{.path.basename}}' });
    expect(set.spec.template.spec.source.path).toBe('{{.path.path}}');
  });

  test('Kurator: sync policies per cluster, base and routes, told apart in the fleet by labels', () => {
    // WHEN
    const files = gitopsOutput((outdir) => shopFleet({ activeVersion: 'blue' }, { outdir, stages: STAGES, deliveries: allDeliveries() }).fleet);

    // THEN
    const [app] = objects(files, 'delivery/kurator/');
    expect(app.spec.syncPolicies.map((p: any) => [p.destination.clusterSelector.matchLabels, p.kustomization.path])).toEqual([
      [{ tier: 'canary' }, './deploy/shop/clusters/canary-1/web/base'],
      [{ tier: 'canary' }, './deploy/shop/clusters/canary-1/web/routes'],
      [{ tier: 'main', region: 'eu' }, './deploy/shop/clusters/eu-1/web/base'],
      [{ tier: 'main', region: 'eu' }, './deploy/shop/clusters/eu-1/web/routes'],
      [{ tier: 'main', region: 'us' }, './deploy/shop/clusters/us-1/web/base'],
      [{ tier: 'main', region: 'us' }, './deploy/shop/clusters/us-1/web/routes'],
    ]);
  });

  describe('declarations a delivery cannot serve are errors', () => {
    const synth = (props: any) => () => gitopsOutput((outdir) => shopFleet({ activeVersion: 'blue' }, { outdir, ...props }).fleet);

    test('Kurator without a fleet', () => {
      expect(synth({ clusters: [CLUSTERS[0], { name: 'eu-1' }, CLUSTERS[2]], deliveries: allDeliveries() }))
        .toThrow("Kurator Application shop: cluster 'eu-1' has no kuratorFleet: Kurator syncs to fleets; set kuratorFleet on every cluster");
    });

    test('Kurator clusters of one fleet whose labels select each other', () => {
      const clusters = [CLUSTERS[0], { ...CLUSTERS[1], labels: { tier: 'main' } }, CLUSTERS[2]];
      expect(synth({ clusters, deliveries: allDeliveries() }))
        .toThrow("clusters 'eu-1' and 'us-1' share Kurator fleet 'shop', and the labels of 'eu-1' ({\"tier\":\"main\"}) also select 'us-1'");
    });

    test('the Git directory generator with a cluster ArgoCD knows by another name', () => {
      const clusters = [CLUSTERS[0], { ...CLUSTERS[1], argoCdName: 'europe' }, CLUSTERS[2]];
      const deliveries = [FleetDelivery.argoCdApplicationSet({ repoUrl: REPO, repoPath: 'd', generator: ApplicationSetGenerator.GIT_DIRECTORIES })];
      expect(synth({ clusters, deliveries })).toThrow("cluster 'eu-1' is addressed in ArgoCD as 'europe', but the Git directory generator names the destination after the folder 'clusters/eu-1'");
    });

    test('progressive sync with the Git directory generator', () => {
      const deliveries = [FleetDelivery.argoCdApplicationSet({ repoUrl: REPO, repoPath: 'd', generator: ApplicationSetGenerator.GIT_DIRECTORIES, progressiveSync: true })];
      expect(synth({ deliveries })).toThrow('progressiveSync needs the stage of each Application');
    });

    test('the list generator with some clusters by server and others by name', () => {
      const clusters = [CLUSTERS[0], { ...CLUSTERS[1], argoCdServer: 'https://eu:6443' }, CLUSTERS[2]];
      const deliveries = [FleetDelivery.argoCdApplicationSet({ repoUrl: REPO, repoPath: 'd' })];
      expect(synth({ clusters, deliveries })).toThrow("clusters 'eu-1' are addressed by argoCdServer and the others by name");
    });
  });
});
