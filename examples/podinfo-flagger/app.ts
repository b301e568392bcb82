import { App, Chart, Duration } from 'cdk8s';
import { BlueGreen, FlaggerMetric, FlaggerWebhook, GatewayBinding, PortProtocol, VersionWorkload, ReleaseOutput } from '../../src';

const NAMESPACE = 'webapp';

/**
 * The podinfo blue/green release of seed 002, handed to Flagger: every 90 s Flagger checks that at
 * least 99 % of requests succeed and that they take at most 500 ms while the load tester runs `hey`
 * against the new version; after 3 good checks it promotes, after 2 failed ones it rolls back.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'podinfo-flagger');

  new BlueGreen(chart, 'backend', {
    serviceName: 'backend',
    namespace: NAMESPACE,
    ports: [{ port: 9898, protocol: PortProtocol.HTTP }],
    hosts: ['backend.webapp'],
    gateway: GatewayBinding.fromReference('istio-system/public-gateway'),
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
    }),
  });
}
