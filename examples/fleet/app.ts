import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ApplicationSetGenerator, BlueGreen, CookieRoute, FleetApp, FleetDelivery, FleetRelease, GatewayBinding, PortProtocol,
  StagedRollout, VersionWorkload,
} from '../../src';

const NAMESPACE = 'web-echo';
const REPO = 'https://github.com/example/platform-deploy.git';
/** Where the output is committed in that repository. */
const REPO_PATH = 'fleet/web-echo';

/**
 * v2 is active on the canary cluster and v1 everywhere else. Promoting v2 to production is the one-line
 * change `reached: 'canary'` → `reached: 'production'` (or `V2_ROLLOUT.promoted()`).
 */
export const V2_ROLLOUT = StagedRollout.activeVersion({ from: 'v1', to: 'v2', reached: 'canary' });

/**
 * The web-echo release (seed 004) on three clusters in two stages: the canary cluster first, then
 * the two production regions, delivered by ArgoCD, Flux and Kurator alike.
 */
export function build(outdir: string, rollout: StagedRollout = V2_ROLLOUT): FleetApp {
  const fleet = new FleetApp({
    name: 'web-echo',
    outdir,
    clusters: [
      { name: 'canary-eu', labels: { stage: 'canary', region: 'eu' }, kuratorFleet: 'web' },
      { name: 'prod-eu', labels: { stage: 'production', region: 'eu' }, kuratorFleet: 'web' },
      { name: 'prod-us', labels: { stage: 'production', region: 'us' }, kuratorFleet: 'web', argoCdName: 'production-us-east-1' },
    ],
    stages: [
      { name: 'canary', clusters: ['canary-eu'] },
      { name: 'production', clusters: ['prod-eu', 'prod-us'] },
    ],
    deliveries: [
      FleetDelivery.argoCdApplicationSet({ repoUrl: REPO, repoPath: REPO_PATH, generator: ApplicationSetGenerator.LIST, progressiveSync: true }),
      FleetDelivery.flux({ gitRepository: 'platform-deploy', repoPath: REPO_PATH }),
      FleetDelivery.kurator({ source: { url: REPO, branch: 'main', interval: Duration.minutes(3) }, repoPath: REPO_PATH }),
    ],
  });

  const webEcho = new FleetRelease(fleet, 'web-echo', {
    hosts: ['service-mesh.dev'],
    replicas: 2,
    overrides: [
      { cluster: 'canary-eu', hosts: ['canary.service-mesh.dev'], replicas: 1 },
      { cluster: 'prod-us', hosts: ['us.service-mesh.dev'], replicas: 4 },
    ],
    rollout,
  });

  for (const cluster of fleet.clusters) {
    const values = webEcho.valuesFor(cluster);
    const chart = new Chart(cluster.app, 'web-echo');
    new kplus.Namespace(chart, 'Namespace', {
      metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } },
    });
    const release = new BlueGreen(chart, 'web-echo', {
      serviceName: 'web-echo',
      namespace: NAMESPACE,
      ports: [{ port: 8600, targetPort: 5678, protocol: PortProtocol.HTTP }],
      hosts: values.hosts,
      gateway: GatewayBinding.create({ name: 'web-echo-gateway' }),
      versions: [
        { name: 'v1', workload: httpEcho('blue-1.0', values.replicas) },
        { name: 'v2', workload: httpEcho('green-1.0', values.replicas) },
      ],
      activeVersion: values.activeVersion,
    });
    // Testers reach v2 in every cluster, whatever is active there.
    new CookieRoute(chart, 'qa-cookie', { release, version: 'v2', cookieName: 'x-version', cookieValue: 'v2' });
  }
  return fleet;
}

function httpEcho(text: string, replicas: number | undefined): VersionWorkload {
  return VersionWorkload.container({
    name: 'http-echo',
    image: 'hashicorp/http-echo:1.0',
    args: ['-text', text],
    portNumber: 5678,
    replicas,
  });
}
