import { ApiObject, App, Chart } from 'cdk8s';
import { BlueGreen, Canary, GatewayBinding, PortProtocol } from '../src';

/**
 * The benchmark's services: even ones are blue/green releases, odd ones 90/10 canaries, each with
 * one HTTP port, an external host on a shared gateway and in-mesh routing (4 objects per service).
 */
const GATEWAY = 'istio-system/public-gateway';
const PORTS = [{ port: 80, protocol: PortProtocol.HTTP }];

export function addLibraryService(chart: Chart, i: number): void {
  const name = `svc-${i}`;
  const common = { serviceName: name, namespace: 'bench', ports: PORTS, hosts: [`${name}.example.com`], gateway: GatewayBinding.fromReference(GATEWAY) };
  if (i % 2 === 0) {
    new BlueGreen(chart, name, { ...common, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'green' });
  } else {
    new Canary(chart, name, { ...common, stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: 10 });
  }
}

/** The documents of service `i` as plain data: what the library writes for it, written out by hand. */
export function baselineDocuments(i: number): any[] {
  const name = `svc-${i}`;
  const host = `${name}.bench.svc.cluster.local`;
  const metadata = (n: string) => ({ name: n, namespace: 'bench', labels: { app: name } });
  const [a, b] = i % 2 === 0 ? ['blue', 'green'] : ['v1', 'v2'];
  const destination = (subset: string, port?: number) => ({ host, subset, ...(port ? { port: { number: port } } : {}) });
  const routes = (port: number) => (i % 2 === 0
    ? [{ destination: destination(b, port) }]
    : [{ destination: destination(a, port), weight: 90 }, { destination: destination(b, port), weight: 10 }]);
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name),
      spec: { ports: [{ name: 'http-80', port: 80, targetPort: 80 }], selector: { app: name }, type: 'ClusterIP' },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: metadata(name),
      spec: { host, subsets: [{ name: a, labels: { version: a } }, { name: b, labels: { version: b } }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: metadata(`${name}-mesh`),
      spec: { hosts: [host], http: [{ route: routes(80) }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: metadata(`${name}-ingress`),
      spec: { gateways: [GATEWAY], hosts: [`${name}.example.com`], http: [{ route: routes(80) }] },
    },
  ];
}

const BASELINE_IDS = ['service', 'rule', 'mesh', 'ingress'];

/** The same objects written by hand with plain ApiObjects: what a user would otherwise maintain. */
export function addBaselineService(chart: Chart, i: number): void {
  baselineDocuments(i).forEach((doc, n) => new ApiObject(chart, `svc-${i}-${BASELINE_IDS[n]}`, doc));
}

export type Variant = 'library' | 'baseline';

/** Declares `services` services spread over `charts` charts. */
export function declare(app: App, variant: Variant, services: number, charts: number): void {
  const add = variant === 'library' ? addLibraryService : addBaselineService;
  const chartList = Array.from({ length: charts }, (_, c) => new Chart(app, `chart-${c}`));
  for (let i = 0; i < services; i++) {
    add(chartList[i % charts], i);
  }
}
