import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreen, BlueGreenProps, GatewayBinding, IstioApiVersion, PortProtocol, PreviewHosts, RequestProtocol, VersionWorkload } from '../src';
import { manifestsOf, route } from './routing';

const HTTP = [{ port: 80, protocol: PortProtocol.HTTP }];

function chartWith(props: Partial<BlueGreenProps> = {}): Chart {
  const chart = Testing.chart();
  new BlueGreen(chart, 'web', {
    serviceName: 'web',
    namespace: 'shop',
    ports: HTTP,
    hosts: ['web.example.com'],
    versions: [
      { name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }) },
      { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) },
    ],
    ...props,
  });
  return chart;
}

const viaGateway = (host: string, path = '/') => ({ gateway: 'shop/web-gateway', host, path });

describe('active version', () => {
  test('the main host reaches the active version through the gateway and from the mesh', () => {
    // GIVEN
    const chart = chartWith({ activeVersion: 'blue' });

    // THEN
    expect(route(chart, viaGateway('web.example.com'))).toEqual({ status: 200, to: { blue: 100 }, path: '/' });
    expect(route(chart, { sourceNamespace: 'shop', sourceLabels: { app: 'client' }, host: 'web.shop.svc.cluster.local' }).to).toEqual({ blue: 100 });
  });

  test('switching and rolling back is a change of activeVersion only', () => {
    // GIVEN
    const blue = chartWith({ activeVersion: 'blue' });
    const green = chartWith({ activeVersion: 'green' });

    // THEN
    expect(route(green, viaGateway('web.example.com')).to).toEqual({ green: 100 });
    expect(route(blue, viaGateway('web.example.com')).to).toEqual({ blue: 100 });
    const changed = Testing.synth(green).filter((o, i) => JSON.stringify(o) !== JSON.stringify(Testing.synth(blue)[i]));
    expect(changed.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['VirtualService/web-mesh', 'VirtualService/web-ingress']);
  });

  test('every declared version keeps its subset whatever is active', () => {
    const [rule] = manifestsOf(chartWith({ activeVersion: 'green' }), 'DestinationRule');
    expect(rule.spec).toEqual({
      host: 'web.shop.svc.cluster.local',
      subsets: [{ name: 'blue', labels: { version: 'blue' } }, { name: 'green', labels: { version: 'green' } }],
    });
  });

  test('without an active version the main host is spread over every version', () => {
    const chart = chartWith();
    expect(route(chart, viaGateway('web.example.com')).to).toEqual({ '*': 100 });
    const [ingress] = manifestsOf(chart, 'VirtualService').filter((vs) => vs.metadata.name === 'web-ingress');
    expect(ingress.spec.http).toEqual([{ route: [{ destination: { host: 'web.shop.svc.cluster.local', port: { number: 80 } } }] }]);
  });
});

describe('workloads and service', () => {
  test('deployments carry app and version labels in pod template and selector', () => {
    const deployments = manifestsOf(chartWith(), 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual(['web-blue', 'web-green']);
    for (const d of deployments) {
      const version = d.metadata.name.replace('web-', '');
      expect(d.spec.selector.matchLabels).toEqual({ app: 'web', version });
      expect(d.spec.template.metadata.labels).toMatchObject({ app: 'web', version });
    }
  });

  test('the service selects on the app label only and names ports after their protocol', () => {
    const chart = chartWith({ ports: [{ port: 80, protocol: PortProtocol.HTTP }, { port: 9090, targetPort: 9091, protocol: PortProtocol.GRPC }] });
    const [service] = manifestsOf(chart, 'Service');
    expect(service.spec.selector).toEqual({ app: 'web' });
    expect(service.spec.ports).toEqual([
      { name: 'http-80', port: 80, targetPort: 80 },
      { name: 'grpc-9090', port: 9090, targetPort: 9091 },
    ]);
  });

  test('custom label keys are used for pods, service and subsets', () => {
    const chart = chartWith({ appLabel: 'service', versionLabel: 'color' });
    const [service] = manifestsOf(chart, 'Service');
    const [rule] = manifestsOf(chart, 'DestinationRule');
    expect(service.spec.selector).toEqual({ service: 'web' });
    expect(rule.spec.subsets[0].labels).toEqual({ color: 'blue' });
    expect(manifestsOf(chart, 'Deployment')[0].spec.selector.matchLabels).toEqual({ service: 'web', color: 'blue' });
  });

  test('an existing cdk8s-plus deployment is labelled instead of created', () => {
    // GIVEN
    const chart = Testing.chart();
    const mine = new kplus.Deployment(chart, 'mine', { containers: [{ image: 'web:1' }] });

    // WHEN
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      ports: HTTP,
      versions: [{ name: 'blue', workload: VersionWorkload.fromWorkload(mine) }, { name: 'green' }],
    });

    // THEN
    const deployments = manifestsOf(chart, 'Deployment');
    expect(deployments).toHaveLength(1);
    expect(deployments[0].spec.template.metadata.labels).toMatchObject({ app: 'web', version: 'blue' });
    expect(deployments[0].spec.selector.matchLabels).toMatchObject({ app: 'web', version: 'blue' });
  });

  test('an existing deployment ApiObject is labelled with patches', () => {
    const chart = Testing.chart();
    const raw = new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'legacy' },
      spec: { selector: { matchLabels: { tier: 'web' } }, template: { metadata: { labels: { tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } },
    });
    new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP, versions: [{ name: 'v1', workload: VersionWorkload.fromApiObject(raw) }, { name: 'v2' }] });
    const [legacy] = manifestsOf(chart, 'Deployment');
    expect(legacy.spec.selector.matchLabels).toEqual({ tier: 'web', app: 'web', version: 'v1' });
    expect(legacy.spec.template.metadata.labels).toEqual({ tier: 'web', app: 'web', version: 'v1' });
  });
});

describe('preview hosts', () => {
  test('each preview host reaches its version, the main host the active one', () => {
    const chart = chartWith({ activeVersion: 'blue', previewHosts: PreviewHosts.pattern('web-{version}.example.com') });
    expect(route(chart, viaGateway('web-green.example.com')).to).toEqual({ green: 100 });
    expect(route(chart, viaGateway('web-blue.example.com')).to).toEqual({ blue: 100 });
    expect(route(chart, viaGateway('WEB-GREEN.example.com:80')).to).toEqual({ green: 100 });
    expect(route(chart, viaGateway('web.example.com')).to).toEqual({ blue: 100 });
    expect(route(chart, viaGateway('other.example.com')).status).toBe(404);
  });

  test('a map gives hosts to some versions only', () => {
    const chart = chartWith({ previewHosts: PreviewHosts.map({ green: 'try.example.com' }) });
    expect(route(chart, viaGateway('try.example.com')).to).toEqual({ green: 100 });
    const [gateway] = manifestsOf(chart, 'Gateway');
    expect(gateway.spec.servers[0].hosts).toEqual(['web.example.com', 'try.example.com']);
  });
});

describe('mesh version affinity', () => {
  const affinity = () => {
    const chart = Testing.chart();
    new BlueGreen(chart, 'db', { serviceName: 'db', namespace: 'shop', ports: [{ port: 3306, protocol: PortProtocol.TCP }], versionAffinity: true });
    new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: HTTP, hosts: ['web.example.com'], versionAffinity: true, activeVersion: 'green' });
    return chart;
  };

  test('an http caller labelled with a version reaches the same version', () => {
    const chart = affinity();
    const from = (labels: Record<string, string>) => route(chart, { sourceNamespace: 'shop', sourceLabels: labels, host: 'web.shop.svc.cluster.local' }).to;
    expect(from({ app: 'front', version: 'blue' })).toEqual({ blue: 100 });
    expect(from({ app: 'front', version: 'green' })).toEqual({ green: 100 });
    expect(from({ app: 'front' })).toEqual({ green: 100 });
  });

  test('a tcp caller labelled with a version reaches the same version, others every version', () => {
    const chart = affinity();
    const from = (labels: Record<string, string>) => route(chart, { sourceNamespace: 'shop', sourceLabels: labels, host: 'db.shop.svc.cluster.local', port: 3306, protocol: RequestProtocol.TCP }).to;
    expect(from({ app: 'web', version: 'blue' })).toEqual({ blue: 100 });
    expect(from({ app: 'web', version: 'green' })).toEqual({ green: 100 });
    expect(from({ app: 'web' })).toEqual({ '*': 100 });
  });

  test('affinity rules never reach the gateway: external requests get the active version', () => {
    const chart = affinity();
    expect(route(chart, viaGateway('web.example.com')).to).toEqual({ green: 100 });
    const ingress = manifestsOf(chart, 'VirtualService').find((vs) => vs.metadata.name === 'web-ingress');
    expect(JSON.stringify(ingress)).not.toContain('sourceLabels');
    const mesh = manifestsOf(chart, 'VirtualService').find((vs) => vs.metadata.name === 'web-mesh');
    expect(mesh.spec.gateways).toBeUndefined();
  });
});

describe('gateway', () => {
  test('binds to an existing gateway without creating one', () => {
    const chart = chartWith({ activeVersion: 'blue', gateway: GatewayBinding.fromReference('istio-system/public-gateway') });
    expect(manifestsOf(chart, 'Gateway')).toEqual([]);
    const ingress = manifestsOf(chart, 'VirtualService').find((vs) => vs.metadata.name === 'web-ingress');
    expect(ingress.spec.gateways).toEqual(['istio-system/public-gateway']);
  });

  test('https with a credential and a redirect from http', () => {
    const chart = chartWith({ activeVersion: 'blue', gateway: GatewayBinding.create({ credentialName: 'web-tls', httpsRedirect: true, selector: { istio: 'edge' } }) });
    const [gateway] = manifestsOf(chart, 'Gateway');
    expect(gateway.spec).toEqual({
      selector: { istio: 'edge' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['web.example.com'], tls: { mode: 'SIMPLE', credentialName: 'web-tls' } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['web.example.com'], tls: { httpsRedirect: true } },
      ],
    });
  });
});

describe('options', () => {
  test('v1beta1 for clusters older than Istio 1.22', () => {
    const chart = chartWith({ activeVersion: 'blue', apiVersion: IstioApiVersion.V1BETA1 });
    const istio = Testing.synth(chart).filter((o: any) => o.apiVersion.startsWith('networking.istio.io'));
    expect(new Set(istio.map((o: any) => o.apiVersion))).toEqual(new Set(['networking.istio.io/v1beta1']));
  });

  test('labels and annotations reach every generated object', () => {
    const chart = chartWith({ labels: { team: 'shop' }, annotations: { owner: 'shop-team' } });
    for (const o of Testing.synth(chart)) {
      expect(o.metadata.labels).toMatchObject({ team: 'shop' });
      expect(o.metadata.annotations).toMatchObject({ owner: 'shop-team' });
    }
  });

  test('the namespace defaults to the chart namespace', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'payments' });
    new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP });
    expect(new Set(Testing.synth(chart).map((o: any) => o.metadata.namespace))).toEqual(new Set(['payments']));
  });

  test('escape hatches expose the generated objects', () => {
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP, activeVersion: 'blue' });
    release.destinationRule!.addJsonPatch(JsonPatch.add('/spec/trafficPolicy', { tls: { mode: 'ISTIO_MUTUAL' } }));
    expect(manifestsOf(chart, 'DestinationRule')[0].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(release.virtualServices.map((vs) => vs.name)).toEqual(['web-mesh']);
  });
});

describe('bad input', () => {
  const make = (props: Partial<BlueGreenProps>) => () => chartWith(props);

  test('fails on an unknown active version', () => {
    expect(make({ activeVersion: 'purple' })).toThrow("test/web: unknown active version 'purple': declared versions are 'blue', 'green'");
  });
  test('fails on duplicate versions', () => {
    expect(make({ versions: [{ name: 'v1' }, { name: 'v1' }] })).toThrow("test/web: duplicate version 'v1'");
  });
  test('fails on an invalid version name', () => {
    expect(make({ versions: [{ name: 'V_1' }] })).toThrow(/invalid version name 'V_1': must be a DNS-1123 label/);
  });
  test('fails on an invalid service name', () => {
    expect(make({ serviceName: 'Web' })).toThrow(/invalid service name 'Web'/);
  });
  test('fails on invalid hosts', () => {
    expect(make({ hosts: ['web'] })).toThrow(/invalid host 'web': must be a lowercase fully qualified DNS name/);
    expect(make({ hosts: ['Web.example.com'] })).toThrow(/invalid host 'Web.example.com'/);
    expect(make({ hosts: ['*.example.com', 'a.example.com'] })).toThrow(/hosts '\*.example.com' and 'a.example.com' overlap/);
  });
  test('fails on a preview host for an unknown version', () => {
    expect(make({ previewHosts: PreviewHosts.map({ red: 'red.example.com' }) })).toThrow(/unknown preview host version 'red'/);
  });
  test('fails on a port without protocol', () => {
    expect(make({ ports: [{ port: 80 } as any] })).toThrow("test/web: port 80 has protocol 'undefined': every port needs an explicit protocol, one of http, http2, grpc, grpc-web, tcp, tls, https");
  });
  test('fails on a port name Istio cannot read a protocol from', () => {
    expect(make({ ports: [{ port: 80, protocol: PortProtocol.HTTP, name: 'web' }] })).toThrow(/port name 'web' does not tell Istio its protocol: it must be 'http' or start with 'http-'/);
  });
  test('fails when the app and version labels are the same key', () => {
    expect(make({ appLabel: 'version' })).toThrow(/appLabel and versionLabel are both 'version'/);
  });
  test('fails on a workload that cannot be labelled', () => {
    const chart = Testing.chart();
    const job = new kplus.Job(chart, 'job', { containers: [{ image: 'x' }] });
    const config = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => new BlueGreen(chart, 'a', { serviceName: 'a', ports: HTTP, versions: [{ name: 'v1', workload: VersionWorkload.fromWorkload(job) }] }))
      .toThrow(/cannot use the Job test\/job: a release needs a long-running Deployment, StatefulSet or DaemonSet/);
    expect(() => new BlueGreen(chart, 'b', { serviceName: 'b', ports: HTTP, versions: [{ name: 'v1', workload: VersionWorkload.fromApiObject(config) }] }))
      .toThrow(/cannot label ConfigMap test\/cm: only Deployment, StatefulSet, DaemonSet objects have a pod template/);
  });
  test('fails on a workload already labelled with another version', () => {
    const chart = Testing.chart();
    const mine = new kplus.Deployment(chart, 'mine', { containers: [{ image: 'web:1' }], podMetadata: { labels: { version: 'old' } } });
    expect(() => new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP, versions: [{ name: 'blue', workload: VersionWorkload.fromWorkload(mine) }] }))
      .toThrow(/its pods already carry version=old, the release needs version=blue/);
  });
  test('fails on external hosts without an http port', () => {
    expect(make({ ports: [{ port: 3306, protocol: PortProtocol.TCP }] })).toThrow(/external hosts web.example.com need an HTTP port/);
  });
  test('fails on a malformed gateway reference', () => {
    expect(() => GatewayBinding.fromReference('public-gateway')).toThrow(/invalid gateway reference 'public-gateway': must be 'namespace\/name'/);
  });
});

describe('across the app', () => {
  test('fails at synth when two releases route every path of the same host on the same gateway', () => {
    const chart = Testing.chart();
    new BlueGreen(chart, 'a', { serviceName: 'a', namespace: 'shop', ports: HTTP, hosts: ['shop.example.com'], gateway: GatewayBinding.fromReference('istio-system/public') });
    new BlueGreen(chart, 'b', { serviceName: 'b', namespace: 'shop', ports: HTTP, hosts: ['shop.example.com'], gateway: GatewayBinding.fromReference('istio-system/public') });
    expect(() => Testing.synth(chart))
      .toThrow("test/a and test/b both take every remaining path of host 'shop.example.com' on gateway istio-system/public");
  });

  test('fails when two releases declare the same service in the mesh, even in different charts', () => {
    const app = Testing.app();
    new BlueGreen(new Chart(app, 'one'), 'a', { serviceName: 'web', namespace: 'shop', ports: HTTP });
    expect(() => new BlueGreen(new Chart(app, 'two'), 'b', { serviceName: 'web', namespace: 'shop', ports: HTTP }))
      .toThrow("two/b: host 'web.shop.svc.cluster.local' in the mesh is already routed by one/a");
  });

  test('the same host on different gateways is fine', () => {
    const chart = Testing.chart();
    new BlueGreen(chart, 'a', { serviceName: 'a', ports: HTTP, hosts: ['x.example.com'], gateway: GatewayBinding.fromReference('istio-system/public') });
    expect(() => new BlueGreen(chart, 'b', { serviceName: 'b', ports: HTTP, hosts: ['x.example.com'], gateway: GatewayBinding.fromReference('istio-system/internal') })).not.toThrow();
  });
});

describe('retiring a version', () => {
  test('a retired version keeps its subset and workload but gets no traffic', () => {
    // GIVEN
    const chart = chartWith({ versions: [{ name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }), retired: true }, { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }], activeVersion: 'green', versionAffinity: true });

    // THEN
    expect(manifestsOf(chart, 'DestinationRule')[0].spec.subsets.map((s: any) => s.name)).toEqual(['blue', 'green']);
    expect(manifestsOf(chart, 'Deployment').map((d) => d.metadata.name)).toEqual(['web-blue', 'web-green']);
    expect(route(chart, { sourceNamespace: 'shop', sourceLabels: { version: 'blue' }, host: 'web.shop.svc.cluster.local' }).to).toEqual({ green: 100 });
  });

  test('without an active version the live versions share the traffic evenly', () => {
    const chart = chartWith({ versions: [{ name: 'v1', retired: true }, { name: 'v2' }, { name: 'v3' }, { name: 'v4' }] });
    expect(route(chart, viaGateway('web.example.com')).to).toEqual({ v2: 34, v3: 33, v4: 33 });
  });

  test('fails when a retired version would get traffic', () => {
    const versions = [{ name: 'blue', retired: true }, { name: 'green' }];
    expect(() => chartWith({ versions, activeVersion: 'blue' })).toThrow("test/web: active version 'blue' is retired and gets no traffic: choose one of 'green', or stop retiring it");
    expect(() => chartWith({ versions, previewHosts: PreviewHosts.map({ blue: 'old.example.com' }) })).toThrow(/retired version 'blue' has preview host 'old.example.com'/);
    expect(() => chartWith({ versions: [{ name: 'blue', retired: true }] })).toThrow(/every version is retired \(blue\)/);
  });

  test('a preview host pattern skips retired versions', () => {
    const chart = chartWith({ versions: [{ name: 'blue', retired: true }, { name: 'green' }], previewHosts: PreviewHosts.pattern('web-{version}.example.com') });
    expect(manifestsOf(chart, 'VirtualService').map((vs) => vs.metadata.name)).toEqual(['web-mesh', 'web-ingress', 'web-preview-green']);
  });
});

describe('hosts on one gateway', () => {
  test('fails when a main host also takes a preview host', () => {
    expect(() => chartWith({ hosts: ['*'], previewHosts: PreviewHosts.pattern('{version}.preview.example.com') }))
      .toThrow("test/web: preview host 'blue.preview.example.com' of version 'blue' is also matched by host '*' on the same gateway");
    expect(() => chartWith({ hosts: ['*.example.com'], previewHosts: PreviewHosts.map({ green: 'green.example.com' }) }))
      .toThrow(/preview host 'green.example.com' of version 'green' is also matched by host '\*.example.com'/);
  });
});
