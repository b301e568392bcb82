import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { toJson_DestinationRuleSpec, toJson_GatewaySpec, toJson_VirtualServiceSpec } from '../imports/networking.istio.io';
import { BlueGreen, Canary, CookieRoute, GatewayBinding, PortProtocol, PreviewHosts, RequestMatch } from '../src';

/**
 * The library writes specs without the generated converters (they only copy fields, at a cost), which
 * is correct only while every field it writes has the same name on the wire. These releases use
 * every feature; the converters must leave their specs unchanged.
 */
function everyFeature() {
  const chart = Testing.chart();
  const web = new BlueGreen(chart, 'web', {
    serviceName: 'web',
    namespace: 'shop',
    hosts: ['web.example.com'],
    ports: [{ port: 80, protocol: PortProtocol.HTTP }, { port: 5432, targetPort: 5433, protocol: PortProtocol.TCP }],
    versions: [{ name: 'blue' }, { name: 'green' }, { name: 'old', retired: true }],
    previewHosts: PreviewHosts.pattern('{version}.preview.example.org'),
    versionAffinity: true,
    gateway: GatewayBinding.create({ credentialName: 'web-tls', httpsRedirect: true, selector: { istio: 'edge' } }),
  });
  new CookieRoute(chart, 'qa', { release: web, version: 'green', cookieName: 'x-version', pathPrefix: '/beta', rewritePrefix: '/api' });
  new Canary(chart, 'api', {
    serviceName: 'api',
    namespace: 'shop',
    hosts: ['api.example.com'],
    ports: [{ port: 8080, protocol: PortProtocol.GRPC }],
    stable: { name: 'v1' },
    canary: { name: 'v2' },
    canaryWeight: 30,
    mirrorPercentage: 5,
    match: [RequestMatch.all(RequestMatch.uriRegex('/api/.*'), RequestMatch.headerPrefix('user-agent', 'Mozilla'))],
    forceCanary: [RequestMatch.header('x-canary', 'on')],
    forceStable: [RequestMatch.uriExact('/health')],
    stickySessions: { cookieName: 'api-version' },
  });
  return Testing.synth(chart);
}

const CONVERTERS: Record<string, (spec: any) => any> = {
  VirtualService: toJson_VirtualServiceSpec,
  DestinationRule: toJson_DestinationRuleSpec,
  Gateway: toJson_GatewaySpec,
  // The typed Service spec wraps ports in IntOrString; the wire format is the plain number.
  Service: (spec) => k8s.toJson_ServiceSpec({
    ...spec,
    ports: spec.ports.map((p: any) => ({ ...p, targetPort: k8s.IntOrString.fromNumber(p.targetPort) })),
  }),
};

test('every spec the library writes is already in wire format', () => {
  // GIVEN
  const objects = everyFeature();
  expect(new Set(objects.map((o: any) => o.kind))).toEqual(new Set(Object.keys(CONVERTERS)));

  for (const object of objects) {
    // WHEN the generated converter is applied (dropping the keys it sets to undefined)
    const converted = JSON.parse(JSON.stringify(CONVERTERS[object.kind](object.spec)));

    // THEN nothing changes
    expect(converted).toEqual(object.spec);
  }
});
