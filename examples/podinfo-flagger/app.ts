import { App, Chart, Duration } from 'cdk8s';
import {
  BlueGreen, FlaggerMetric, FlaggerWebhook, GatewayBinding, KuratorApplication, KuratorSyncPolicy, PortProtocol, ReleaseOutput, VersionWorkload,
} from '../../src';

const NAMESPACE = 'webapp';

/**
 * The podinfo blue/green release of seed 002, handed to Flagger: every 90 s Flagger checks that at
 * least 99 % of requests succeed and that they take at most 500 ms while the load tester runs `hey`
 * against the new version; after 3 good checks it promotes, after 2 failed ones it rolls back. The
 * routes time out after 60 s and a rollout that makes no progress for 600 s is rolled back.
 *
 * The seed's user delivers it with Kurator: the `blue-green-demo` Application, written in a chart of
 * its own for the Kurator host cluster, syncs podinfo's `./deploy/webapp` to the fleet `quickstart`
 * with the rollout policy derived from the Flagger analysis below, and `./kustomize` beside it.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'podinfo-flagger');

  const backend = new BlueGreen(chart, 'backend', {
    serviceName: 'backend',
    namespace: NAMESPACE,
    ports: [{ port: 9898, protocol: PortProtocol.HTTP }],
    hosts: ['backend.webapp'],
    gateway: GatewayBinding.fromReference('istio-system/public-gateway'),
    // The seed routes the gateway only: in-mesh callers reach the Service Flagger keeps on the primary.
    meshRouting: false,
    versions: [
      { name: 'blue' },
      {
        name: 'green',
        workload: VersionWorkload.container({
          name: 'podinfod',
          image: 'ghcr.io/stefanprodan/podinfo:6.5.4',
          command: ['./podinfo', '--port=9898'],
          portNumber: 9898,
        }),
      },
    ],
    activeVersion: 'green',
    output: ReleaseOutput.flagger({
      interval: Duration.seconds(90),
      threshold: 2,
      iterations: 3,
      metrics: [FlaggerMetric.requestSuccessRate(99), FlaggerMetric.requestDuration(500)],
      webhooks: [
        FlaggerWebhook.loadTest({
          command: 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/',
          url: 'http://flagger-loadtester.test/',
          timeout: Duration.seconds(60),
        }),
      ],
      rolloutTimeout: Duration.seconds(600),
      routeTimeout: Duration.seconds(60),
    }),
  });

  new KuratorApplication(new Chart(app, 'kurator'), 'blue-green-demo', {
    source: { url: 'https://github.com/stefanprodan/podinfo', branch: 'master', interval: Duration.minutes(3), timeout: Duration.minutes(1) },
    syncPolicies: [
      KuratorSyncPolicy.rollout(backend, { fleet: 'quickstart', path: './deploy/webapp' }),
      KuratorSyncPolicy.kustomization({ fleet: 'quickstart', path: './kustomize', targetNamespace: 'default' }),
    ],
  });
}
