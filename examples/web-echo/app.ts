import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreen, CookieRoute, GatewayBinding, PathRoute, PortProtocol, ReleaseOutput, VersionWorkload } from '../../src';

const NAMESPACE = 'web-echo';

/**
 * The web-echo release (seed 004) on `service-mesh.dev` behind a TLS gateway: v1 serves everyone,
 * `/v1/...` and `/v2/...` pin a version (the prefix is stripped), and the cookie `x-version=v2` lets
 * testers reach v2 on any path.
 */
/** `output` chooses the API the release is written as (the Istio output by default). */
export function build(app: App, output?: ReleaseOutput): void {
  const chart = new Chart(app, 'web-echo');

  new kplus.Namespace(chart, 'Namespace', {
    metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } },
  });

  const release = new BlueGreen(chart, 'web-echo', {
    serviceName: 'blue-green-service',
    namespace: NAMESPACE,
    ports: [{ port: 8600, targetPort: 5678, protocol: PortProtocol.HTTP }],
    hosts: ['service-mesh.dev'],
    gateway: GatewayBinding.create({ name: 'service-mesh-tls-gateway', credentialName: 'service-mesh-dev-tls', httpsRedirect: true }),
    versions: [
      { name: 'v1', workload: httpEcho('blue-1.0') },
      { name: 'v2', workload: httpEcho('green-1.0') },
    ],
    activeVersion: 'v1',
    output,
  });

  new PathRoute(chart, 'path-v1', { release, version: 'v1', pathPrefix: '/v1', rewritePrefix: '/' });
  new PathRoute(chart, 'path-v2', { release, version: 'v2', pathPrefix: '/v2', rewritePrefix: '/' });
  new CookieRoute(chart, 'qa-cookie', { release, version: 'v2', cookieName: 'x-version', cookieValue: 'v2' });
}

function httpEcho(text: string): VersionWorkload {
  return VersionWorkload.container({
    name: 'http-echo',
    image: 'hashicorp/http-echo:1.0',
    args: ['-text', text],
    portNumber: 5678,
  });
}
