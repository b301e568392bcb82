import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreen, PortProtocol, ReleaseOutput, VersionWorkload } from '../../src';

const NAMESPACE = 'cowsay';

/**
 * The cowsay blue/green release (seed 001) in its current state: v1 serves everyone, v2 runs beside
 * it without traffic. Going live with v2 is `activeVersion: 'v2'`; rolling back is `'v1'` again.
 */
/** `output` chooses the API the release is written as (the Istio output by default). */
export function build(app: App, output?: ReleaseOutput): void {
  const chart = new Chart(app, 'cowsay');

  new kplus.Namespace(chart, 'Namespace', {
    metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } },
  });

  new BlueGreen(chart, 'cowsay', {
    serviceName: 'cowsay',
    namespace: NAMESPACE,
    ports: [{ port: 80, protocol: PortProtocol.HTTP }],
    hosts: ['cowsay.example.com'],
    versions: [
      { name: 'v1', workload: nginxCowsay('v1', 'pickle') },
      { name: 'v2', workload: nginxCowsay('v2', 'cowsay-man') },
    ],
    activeVersion: 'v1',
    output,
  });
}

function nginxCowsay(tag: string, pickleType: string): VersionWorkload {
  return VersionWorkload.container({
    name: 'cowsay-nginx',
    image: `dougbtv/nginx-cowsay:${tag}`,
    portNumber: 80,
    // nginx binds port 80 as root and writes its cache and pid files next to its binaries.
    securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
    envVariables: { PICKLE_TYPE: kplus.EnvValue.fromValue(pickleType) },
  });
}
