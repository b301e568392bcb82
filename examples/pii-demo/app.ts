import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AllowedCaller, BlueGreen, MutualTls, PortProtocol, PreviewHosts, VersionWorkload, WorkloadIdentity } from '../../src';

const NAMESPACE = 'pii-demo';

/**
 * httpd and MySQL images start as root and write to their own filesystem, so the cdk8s-plus
 * defaults (non-root user, read-only root filesystem) would stop them from starting.
 */
const ROOT_WRITABLE: kplus.ContainerSecurityContextProps = { ensureNonRoot: false, readOnlyRootFilesystem: false };

/**
 * Blue and green of a web server and its database side by side (seed 000, pii-demo). The main host
 * spreads requests round-robin over both colours, each colour has its own preview host, and version
 * affinity keeps a blue web server talking to the blue database. Both require mutual TLS: the web
 * server accepts the ingress gateway and the mesh, the database only the web server of its colour.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'pii-demo');

  // Sidecar injection is what puts the routing into effect, so the namespace ships with the app.
  new kplus.Namespace(chart, 'Namespace', {
    metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled' } },
  });

  const web = new BlueGreen(chart, 'httpd-server', {
    serviceName: 'httpd-server',
    namespace: NAMESPACE,
    ports: [{ port: 80, protocol: PortProtocol.HTTP }],
    versions: [
      { name: 'blue', workload: httpd('lisenet/httpd-pii-demo:0.2') },
      { name: 'green', workload: httpd('lisenet/httpd-pii-demo:0.3') },
    ],
    hosts: ['pii-demo.apps.hl.test'],
    previewHosts: PreviewHosts.pattern('pii-demo-{version}.apps.hl.test'),
    versionAffinity: true,
    // Each colour runs as its own service account, so the database can tell blue from green.
    identity: WorkloadIdentity.serviceAccountPerVersion(),
    mtls: MutualTls.strict(),
    allowedCallers: [AllowedCaller.ingressGateway(), AllowedCaller.mesh()],
  });

  // The credentials stay out of Git: the Secret is created in the cluster beforehand.
  const credentials = kplus.Secret.fromSecretName(chart, 'MysqlCredentials', 'mysql-credentials');

  // Reached from inside the mesh only: no hosts, so no gateway route.
  new BlueGreen(chart, 'mysql-server', {
    serviceName: 'mysql-server',
    namespace: NAMESPACE,
    // Named tcp-3306, not mysql: Istio's MySQL protocol sniffing breaks connections (istio/istio#13484).
    ports: [{ port: 3306, protocol: PortProtocol.TCP }],
    versions: [
      { name: 'blue', workload: mysql(credentials) },
      { name: 'green', workload: mysql(credentials) },
    ],
    versionAffinity: true,
    // The personal data is reached by the web server only, and only by the web server of its colour.
    mtls: MutualTls.strict(),
    allowedCallers: [AllowedCaller.release(web)],
    sameVersionCallersOnly: true,
  });
}

function httpd(image: string): VersionWorkload {
  return VersionWorkload.container({
    name: 'httpd-server',
    image,
    portNumber: 80,
    securityContext: ROOT_WRITABLE,
  });
}

function mysql(credentials: kplus.ISecret): VersionWorkload {
  return VersionWorkload.container({
    name: 'mysql-server',
    image: 'mysql:8.4',
    portNumber: 3306,
    securityContext: ROOT_WRITABLE,
    // MySQL 8.4 needs more memory than the library's 512 MiB default limit.
    resources: {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    envVariables: {
      MYSQL_ROOT_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'root-password' }),
    },
  });
}
