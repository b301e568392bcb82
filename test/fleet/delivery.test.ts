import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { allDeliveries, CLUSTERS, REPO, shopFleet, STAGES } from './fleet-fixtures';
import { gitopsOutput } from './output-files';
import { ApplicationSetGenerator, BlueGreen, FlaggerWebhook, FleetApp, FleetDelivery, PortProtocol, ReleaseOutput, VersionWorkload } from '../../src';

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

  describe('Kurator and a release handed to Flagger', () => {
    const flaggerFleet = (outdir: string, withService: boolean) => {
      const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES, outdir, deliveries: allDeliveries() });
      for (const cluster of fleet.clusters) {
        const chart = new Chart(cluster.app, 'api');
        new BlueGreen(chart, 'api', {
          serviceName: 'api',
          namespace: 'shop',
          ports: [{ port: 8080, protocol: PortProtocol.HTTP }],
          hosts: ['api.example.com'],
          versions: [{ name: 'blue' }, { name: 'green', workload: VersionWorkload.container({ image: 'api:2', portNumber: 8080 }) }],
          activeVersion: 'green',
          output: ReleaseOutput.flagger({ iterations: 5, webhooks: [FlaggerWebhook.loadTest({ command: 'hey http://api-canary.shop:8080/' })] }),
        });
        if (withService) {
          new ApiObject(chart, 'service', {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'api', namespace: 'shop' },
            spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 8080 }] },
          });
        }
      }
      return fleet;
    };

    test('the rollout policy applies base/ (workload and Service) and Kurator makes the Canary from it', () => {
      // WHEN
      const files = gitopsOutput((outdir) => flaggerFleet(outdir, true));

      // THEN one policy per cluster, on base/, with the rollout; the Canary in routes/ is for ArgoCD and Flux
      const [app] = objects(files, 'delivery/kurator/');
      const policies = app.spec.syncPolicies
        .map((p: any) => [p.kustomization.path, p.kustomization.interval, p.rollout.rolloutPolicy.trafficRouting.analysisTimes]);
      expect(policies).toEqual([
        ['./deploy/shop/clusters/canary-1/api/base', '0s', 5],
        ['./deploy/shop/clusters/eu-1/api/base', '0s', 5],
        ['./deploy/shop/clusters/us-1/api/base', '0s', 5],
      ]);
      expect(app.spec.syncPolicies[0].rollout).toMatchObject({ serviceName: 'api', port: 8080, testLoader: true, workload: { kind: 'Deployment', name: 'api', namespace: 'shop' } });
    });

    test('without a Service in the chart Kurator would wait forever, so it is an error', () => {
      expect(() => gitopsOutput((outdir) => flaggerFleet(outdir, false)))
        .toThrow("Kurator Application shop: Kurator reads Service shop/api before it creates the Flagger Canary of chart 'api' in cluster 'canary-1', and the chart has none");
    });
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
