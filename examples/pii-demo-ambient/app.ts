import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreen, PortProtocol, PreviewHosts, ReleaseOutput, VersionWorkload, Waypoint } from '../../src';

const NAMESPACE = 'pii-demo';

/** httpd and MySQL images start as root and write to their own filesystem. */
const ROOT_WRITABLE: kplus.ContainerSecurityContextProps = { ensureNonRoot: false, readOnlyRootFilesystem: false };

/**
 * The pii-demo (seed 000) in ambient mode, written as Gateway API: blue and green of a web server and
 * its database side by side, the main host spread round-robin over both colours and a preview host
 * per colour. The namespace is enrolled in ambient mode and one waypoint applies the mesh routes of
 * both services. The seed's version affinity (a blue web server talks to the blue database) cannot
 * be written as Gateway API, so it is left out; requesting it is a synth error.
 */
export function build(app: App, options: { versionAffinity?: boolean } = {}): void {
  const chart = new Chart(app, 'pii-demo');

  // No istio-injection label: ambient pods have no sidecar. The release adds the ambient label.
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: NAMESPACE } });

  // The TCP port of MySQL needs a TCPRoute: experimental channel, PILOT_ENABLE_ALPHA_GATEWAY_API=true.
  const output = ReleaseOutput.gatewayApi({
    experimentalChannel: true,
    ambient: { enrollNamespace: true, waypoint: Waypoint.create({ name: 'waypoint' }) },
  });

  new BlueGreen(chart, 'httpd-server', {
    serviceName: 'httpd-server',
    namespace: NAMESPACE,
    ports: [{ port: 80, protocol: PortProtocol.HTTP }],
    versions: [
      { name: 'blue', workload: httpd('lisenet/httpd-pii-demo:0.2') },
      { name: 'green', workload: httpd('lisenet/httpd-pii-demo:0.3') },
    ],
    hosts: ['pii-demo.apps.hl.test'],
    previewHosts: PreviewHosts.pattern('pii-demo-{version}.apps.hl.test'),
    versionAffinity: options.versionAffinity,
    output,
  });

  const credentials = kplus.Secret.fromSecretName(chart, 'MysqlCredentials', 'mysql-credentials');

  new BlueGreen(chart, 'mysql-server', {
    serviceName: 'mysql-server',
    namespace: NAMESPACE,
    ports: [{ port: 3306, protocol: PortProtocol.TCP }],
    versions: [
      { name: 'blue', workload: mysql(credentials) },
      { name: 'green', workload: mysql(credentials) },
    ],
    output,
  });
}

function httpd(image: string): VersionWorkload {
  return VersionWorkload.container({ name: 'httpd-server', image, portNumber: 80, securityContext: ROOT_WRITABLE });
}

function mysql(credentials: kplus.ISecret): VersionWorkload {
  return VersionWorkload.container({
    name: 'mysql-server',
    image: 'mysql:8.4',
    portNumber: 3306,
    securityContext: ROOT_WRITABLE,
    resources: {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    envVariables: {
      MYSQL_ROOT_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'root-password' }),
    },
  });
}
