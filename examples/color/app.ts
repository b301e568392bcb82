import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Canary, GatewayBinding, PortProtocol, ReleaseOutput, RequestMatch, VersionWorkload } from '../../src';

const NAMESPACE = 'color';

/**
 * The Color canary (seed 003): requests under `/color` are split 75 % blue (stable) and 25 % green
 * (canary). Rollback is `canaryWeight: 0`, promotion `canaryWeight: 100`.
 */
/** `output` chooses the API the release is written as (the Istio output by default). */
export function build(app: App, output?: ReleaseOutput): void {
  const chart = new Chart(app, 'color');

  new kplus.Namespace(chart, 'Namespace', {
    metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } },
  });

  new Canary(chart, 'color', {
    serviceName: 'color-service',
    namespace: NAMESPACE,
    ports: [{ port: 8000, targetPort: 8080, protocol: PortProtocol.HTTP }],
    hosts: ['*'],
    gateway: GatewayBinding.create({ name: 'color-gateway' }),
    versionLabel: 'color',
    stable: { name: 'blue', workload: colorApp('blue') },
    canary: { name: 'green', workload: colorApp('green') },
    canaryWeight: 25,
    match: [RequestMatch.uriPrefix('/color')],
    output,
  });
}

function colorApp(color: string): VersionWorkload {
  return VersionWorkload.container({
    name: `color-${color}`,
    image: 'itwonderlab/color',
    portNumber: 8080,
    envVariables: { COLOR: kplus.EnvValue.fromValue(color) },
  });
}
