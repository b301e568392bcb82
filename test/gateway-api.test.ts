import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BlueGreen, Canary, CookieRoute, GatewayBinding, IstioApiVersion, PathRoute, PortProtocol, PreviewHosts, ReleaseOutput, RequestMatch,
  ServiceVersion, Waypoint,
} from '../src';
import { routeRequest } from './gateway-api-routing';
import { build as piiDemoAmbient } from '../examples/pii-demo-ambient/app';

const HTTP = [{ port: 80, protocol: PortProtocol.HTTP }];
const VERSIONS: ServiceVersion[] = [{ name: 'v1' }, { name: 'v2' }];

function objects(chart: Chart, kind: string): any[] {
  return Testing.synth(chart).filter((o) => o.kind === kind);
}

function named(chart: Chart, kind: string, name: string): any {
  const found = objects(chart, kind).find((o) => o.metadata.name === name);
  if (!found) {
    throw new Error(`no ${kind} ${name}; have ${objects(chart, kind).map((o) => o.metadata.name).join(', ')}`);
  }
  return found;
}

function blueGreen(
  props: Partial<ConstructorParameters<typeof BlueGreen>[2]> = {}, output = ReleaseOutput.gatewayApi(),
): { chart: Chart; release: BlueGreen } {
  const chart = Testing.chart();
  const release = new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: HTTP, versions: VERSIONS, activeVersion: 'v1', output, ...props });
  return { chart, release };
}

describe('Gateway API output of a blue/green release', () => {
  test('a Service per version beside the main Service, and routes to the active version for mesh and gateway callers', () => {
    // GIVEN / WHEN
    const { chart, release } = blueGreen({ hosts: ['web.example.com'] });

    // THEN the main Service selects the app, each version Service its version
    expect(objects(chart, 'Service').map((s) => [s.metadata.name, s.spec.selector])).toEqual([
      ['web', { app: 'web' }],
      ['web-v1', { app: 'web', version: 'v1' }],
      ['web-v2', { app: 'web', version: 'v2' }],
    ]);
    // AND no Istio networking objects are written
    expect(Testing.synth(chart).filter((o) => o.apiVersion.startsWith('networking.istio.io'))).toEqual([]);
    // AND mesh callers (Service parent, core group written as "") and gateway callers reach v1
    const mesh = named(chart, 'HTTPRoute', 'web-mesh');
    expect(mesh.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 80 }]);
    expect(routeRequest(mesh.spec, { path: '/anything' }).backends).toEqual(['web-v1 1']);
    const ingress = named(chart, 'HTTPRoute', 'web-ingress');
    expect(ingress.spec.hostnames).toEqual(['web.example.com']);
    expect(ingress.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web-gateway', sectionName: 'http-web.example.com' }]);
    expect(routeRequest(ingress.spec, { path: '/' }).backends).toEqual(['web-v1 1']);
    expect(release.httpRoutes.map((r) => r.name)).toEqual(['web-mesh', 'web-ingress']);
    expect(release.versionServices.map((s) => s.name)).toEqual(['web-v1', 'web-v2']);
    expect(release.virtualServices).toEqual([]);
    expect(release.destinationRule).toBeUndefined();
  });

  test('switching and rolling back changes only the backend of the routes', () => {
    // GIVEN the cowsay release live on v1, switched to v2, and rolled back
    const backends = (activeVersion: string) => {
      const { chart } = blueGreen({ hosts: ['cowsay.example.com'], activeVersion });
      return objects(chart, 'HTTPRoute').map((r) => routeRequest(r.spec, { path: '/' }).backends);
    };

    // THEN
    expect(backends('v1')).toEqual([['web-v1 1'], ['web-v1 1']]);
    expect(backends('v2')).toEqual([['web-v2 1'], ['web-v2 1']]);
  });

  test('without an active version, the main Service (every pod) is the backend', () => {
    const { chart } = blueGreen({ activeVersion: undefined });
    expect(routeRequest(named(chart, 'HTTPRoute', 'web-mesh').spec, { path: '/' }).backends).toEqual(['web 1']);
  });

  test('each preview host has its own route with its own catch-all, attached to its own listener', () => {
    // GIVEN
    const { chart } = blueGreen({ hosts: ['web.example.com'], previewHosts: PreviewHosts.pattern('web-{version}.preview.example.com') });

    // WHEN
    const preview = named(chart, 'HTTPRoute', 'web-preview-v2');

    // THEN
    expect(preview.spec.hostnames).toEqual(['web-v2.preview.example.com']);
    expect(preview.spec.parentRefs[0].sectionName).toEqual('http-web-v2.preview.example.com');
    expect(routeRequest(preview.spec, { path: '/any/path' }).backends).toEqual(['web-v2 1']);
    expect(named(chart, 'Gateway', 'web-gateway').spec.listeners.map((l: any) => l.hostname))
      .toEqual(['web.example.com', 'web-v1.preview.example.com', 'web-v2.preview.example.com']);
  });

  test('a TLS gateway terminates with certificateRefs and redirects plain HTTP with a route on the HTTP listeners only', () => {
    // GIVEN / WHEN
    const { chart, release } = blueGreen({
      hosts: ['service-mesh.dev'],
      gateway: GatewayBinding.create({ name: 'tls', credentialName: 'mesh-dev-tls', httpsRedirect: true }),
    }, ReleaseOutput.gatewayApi({ certificateNamespace: 'certs' }));

    // THEN
    const gateway = named(chart, 'Gateway', 'tls').spec;
    expect(gateway.gatewayClassName).toEqual('istio');
    expect(gateway.listeners).toEqual([
      { name: 'https-service-mesh.dev', hostname: 'service-mesh.dev', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'mesh-dev-tls', namespace: 'certs' }] } },
      { name: 'http-service-mesh.dev', hostname: 'service-mesh.dev', port: 80, protocol: 'HTTP' },
    ]);
    const redirect = named(chart, 'HTTPRoute', 'web-https-redirect').spec;
    expect(redirect.parentRefs.map((p: any) => p.sectionName)).toEqual(['http-service-mesh.dev']);
    expect(redirect.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    expect(named(chart, 'HTTPRoute', 'web-ingress').spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https-service-mesh.dev']);
    // AND the Secret in another namespace is granted to the Gateway there
    const grant = named(chart, 'ReferenceGrant', 'shop-tls-certificate');
    expect(grant.metadata.namespace).toEqual('certs');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop' }], to: [{ group: '', kind: 'Secret', name: 'mesh-dev-tls' }] });
    expect(release.referenceGrants).toHaveLength(1);
  });

  test('a referenced Gateway in another namespace is a parent without sectionName', () => {
    const { chart } = blueGreen({ hosts: ['web.example.com'], gateway: GatewayBinding.fromReference('istio-ingress/public') });
    expect(named(chart, 'HTTPRoute', 'web-ingress').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }]);
    expect(objects(chart, 'Gateway')).toEqual([]);
  });
});

describe('Gateway API output of a canary', () => {
  function canary(props: Partial<ConstructorParameters<typeof Canary>[2]> = {}, output = ReleaseOutput.gatewayApi()): Chart {
    const chart = Testing.chart();
    new Canary(chart, 'color', {
      serviceName: 'color', namespace: 'color', ports: HTTP, stable: { name: 'blue' }, canary: { name: 'green' }, canaryWeight: 25, output, ...props,
    });
    return chart;
  }

  test('matched requests are split by weight, others reach stable, and the prefix stays a plain string prefix as in Istio', () => {
    // GIVEN
    const spec = named(canary({ match: [RequestMatch.uriPrefix('/color')] }), 'HTTPRoute', 'color-mesh').spec;

    // THEN
    expect(routeRequest(spec, { path: '/color' }).backends).toEqual(['color-blue 75', 'color-green 25']);
    expect(routeRequest(spec, { path: '/colors' }).backends).toEqual(['color-blue 75', 'color-green 25']);
    expect(routeRequest(spec, { path: '/other' }).backends).toEqual(['color-blue 1']);
  });

  test('rollback (0) and promotion (100) write a single backend', () => {
    expect(routeRequest(named(canary({ canaryWeight: 0 }), 'HTTPRoute', 'color-mesh').spec, { path: '/' }).backends).toEqual(['color-blue 1']);
    expect(routeRequest(named(canary({ canaryWeight: 100 }), 'HTTPRoute', 'color-mesh').spec, { path: '/' }).backends).toEqual(['color-green 1']);
  });

  test('forced requests win over the split, mirroring keeps its share, and sticky cookies are set per backend', () => {
    // GIVEN
    const spec = named(canary({
      forceCanary: [RequestMatch.header('x-canary', 'yes')],
      mirrorPercentage: 12.5,
      stickySessions: { cookieName: 'pin', maxAgeSeconds: 60 },
    }), 'HTTPRoute', 'color-mesh').spec;

    // THEN forced and sticky requests reach their version
    expect(routeRequest(spec, { path: '/', headers: { 'x-canary': 'yes' } }).backends).toEqual(['color-green 1']);
    expect(routeRequest(spec, { path: '/', headers: { cookie: 'a=1; pin=blue' } }).backends).toEqual(['color-blue 1']);
    expect(routeRequest(spec, { path: '/', headers: { cookie: 'xpin=blue' } }).backends).toEqual(['color-blue 75', 'color-green 25']);
    // AND the split rule mirrors 12.5 % and appends the cookie naming the chosen version
    const split = spec.rules.find((r: any) => r.backendRefs.length === 2);
    expect(split.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'color-green', port: 80 }, fraction: { numerator: 125, denominator: 1000 } } }]);
    expect(split.backendRefs[1].filters).toEqual([{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'set-cookie', value: 'pin=green; Path=/; Max-Age=60' }] } }]);
  });

  test('a whole mirror percentage is written as percent', () => {
    const spec = named(canary({ mirrorPercentage: 10 }), 'HTTPRoute', 'color-mesh').spec;
    expect(spec.rules[0].filters[0].requestMirror.percent).toEqual(10);
  });

  test('TCP ports need the experimental channel; with it, a weighted TCPRoute per port', () => {
    // GIVEN
    const ports = [{ port: 5432, protocol: PortProtocol.TCP }];

    // THEN
    expect(() => canary({ ports })).toThrow(/ports 5432\/tcp need a TCPRoute, which exists only in the experimental Gateway API channel and which istiod reads only with PILOT_ENABLE_ALPHA_GATEWAY_API=true/);
    const tcp = named(canary({ ports }, ReleaseOutput.gatewayApi({ experimentalChannel: true })), 'TCPRoute', 'color-tcp-5432');
    expect(tcp.apiVersion).toEqual('gateway.networking.k8s.io/v1alpha2');
    expect(tcp.spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'color', port: 5432 }],
      rules: [{ backendRefs: [{ name: 'color-blue', port: 5432, weight: 75 }, { name: 'color-green', port: 5432, weight: 25 }] }],
    });
  });
});

describe('opt-in routes in Gateway API', () => {
  test('path prefixes match whole segments and are stripped; the cookie opts in on any other path', () => {
    // GIVEN the web-echo routes
    const { chart, release } = blueGreen({ hosts: ['service-mesh.dev'] });
    new PathRoute(chart, 'v1', { release, version: 'v1', pathPrefix: '/v1', rewritePrefix: '/' });
    new PathRoute(chart, 'v2', { release, version: 'v2', pathPrefix: '/v2', rewritePrefix: '/' });
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });

    // WHEN
    const spec = named(chart, 'HTTPRoute', 'web-ingress').spec;

    // THEN
    expect(routeRequest(spec, { path: '/v2/users' })).toEqual({ backends: ['web-v2 1'], rewrite: '/users' });
    expect(routeRequest(spec, { path: '/v2' })).toEqual({ backends: ['web-v2 1'], rewrite: '/' });
    expect(routeRequest(spec, { path: '/v20' })).toEqual({ backends: ['web-v1 1'] });
    expect(routeRequest(spec, { path: '/v1/x', headers: { cookie: 'x-version=v2' } })).toEqual({ backends: ['web-v1 1'], rewrite: '/x' });
    expect(routeRequest(spec, { path: '/home', headers: { cookie: 'session=1; x-version=v2' } })).toEqual({ backends: ['web-v2 1'] });
    // AND a prefix rewrite sits alone in its rule, as Gateway API requires
    const prefixRules = spec.rules.filter((r: any) => r.filters?.[0]?.urlRewrite?.path.type === 'ReplacePrefixMatch');
    expect(prefixRules.map((r: any) => r.matches)).toEqual([[{ path: { type: 'PathPrefix', value: '/v1' } }], [{ path: { type: 'PathPrefix', value: '/v2' } }]]);
  });

  test('an opt-in that Gateway API would rank below a later route gets a rule of its own for the requests both match', () => {
    // GIVEN a cookie opt-in (any path) and a canary split on the exact path /x, which Istio ranks first
    const chart = Testing.chart();
    const release = new Canary(chart, 'api', {
      serviceName: 'api',
      ports: HTTP,
      stable: { name: 'v1' },
      canary: { name: 'v2' },
      canaryWeight: 50,
      match: [RequestMatch.uriExact('/x')],
      output: ReleaseOutput.gatewayApi(),
    });
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'qa' });

    // WHEN
    const spec = named(chart, 'HTTPRoute', 'api-mesh').spec;

    // THEN the cookie wins on /x too, as in the Istio output
    expect(routeRequest(spec, { path: '/x', headers: { cookie: 'qa=v2' } }).backends).toEqual(['api-v2 1']);
    expect(routeRequest(spec, { path: '/x' }).backends).toEqual(['api-v1 50', 'api-v2 50']);
    expect(spec.rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/x' }, headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?(qa=v2)(;.*)?$' }] }]);
  });

  test('an order Gateway API cannot keep is a synth error naming both routes and the alternative', () => {
    // GIVEN forced requests under a regular expression and a split under a longer plain prefix
    const chart = Testing.chart();

    // THEN
    expect(() => new Canary(chart, 'api', {
      serviceName: 'api',
      ports: HTTP,
      stable: { name: 'v1' },
      canary: { name: 'v2' },
      canaryWeight: 50,
      forceCanary: [RequestMatch.uriRegex('/a.*')],
      match: [RequestMatch.uriPrefix('/ab')],
      output: ReleaseOutput.gatewayApi(),
    })).toThrow(/route 'forced to canary -> v2' must be tried before 'matching requests -> v1 50% \/ v2 50%' \(test\/api\), but Gateway API ranks RegularExpression '\/ab\.\*' above RegularExpression '\/a\.\*'.*cannot be written as one Gateway API match: make the two routes match different requests, or use ReleaseOutput.istio\(\)/);
  });
});

describe('what Gateway API cannot express is a synth error', () => {
  test('version affinity, for HTTP and TCP, names the feature and the alternatives', () => {
    const message = /versionAffinity cannot be written as Gateway API: no Gateway API route selects callers by their labels \(Istio's sourceLabels\), for HTTP or TCP; use ReleaseOutput.istio\(\) in sidecar mode, or have callers send their version in a cookie and add a CookieRoute per version/;
    expect(() => blueGreen({ versionAffinity: true })).toThrow(message);
    const tcp = { versionAffinity: true, ports: [{ port: 3306, protocol: PortProtocol.TCP }] };
    expect(() => blueGreen(tcp, ReleaseOutput.gatewayApi({ experimentalChannel: true }))).toThrow(message);
  });

  test('the pii-demo in ambient mode synthesizes without affinity and fails with the documented error when it is requested', () => {
    // GIVEN / WHEN / THEN
    expect(() => piiDemoAmbient(Testing.app())).not.toThrow();
    expect(() => piiDemoAmbient(Testing.app(), { versionAffinity: true })).toThrow(/pii-demo\/httpd-server: versionAffinity cannot be written as Gateway API/);
  });

  test('Istio-only settings are rejected instead of ignored', () => {
    expect(() => blueGreen({ apiVersion: IstioApiVersion.V1BETA1 })).toThrow(/apiVersion 'v1beta1' sets the version of Istio networking objects, but ReleaseOutput.gatewayApi\(\) writes none: remove apiVersion/);
    expect(() => blueGreen({ hosts: ['a.example.com'], gateway: GatewayBinding.create({ selector: { istio: 'ingress' } }) }))
      .toThrow(/gateway selector \{"istio":"ingress"\} has no Gateway API equivalent: istiod deploys the pods of a Gateway API Gateway itself/);
    expect(() => blueGreen({ hosts: ['a.example.com'] }, ReleaseOutput.gatewayApi({ certificateNamespace: 'certs' })))
      .toThrow(/certificateNamespace 'certs' would have no effect: the release creates no Gateway with a credentialName/);
  });

  test('the old flagger prop points to the output prop', () => {
    expect(() => blueGreen({ flagger: {} } as any, undefined)).toThrow(/the flagger prop was replaced by the output prop: write output: ReleaseOutput.flagger/);
  });
});

describe('ambient mode', () => {
  test('the namespace is enrolled, one waypoint serves every release of the namespace, and each Service uses it', () => {
    // GIVEN two releases in one namespace declared beside its Namespace object
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    const output = ReleaseOutput.gatewayApi({ ambient: { enrollNamespace: true } });
    const web = new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: HTTP, versions: VERSIONS, activeVersion: 'v1', output });
    const api = new BlueGreen(chart, 'api', { serviceName: 'api', namespace: 'shop', ports: HTTP, versions: VERSIONS, activeVersion: 'v1', output });

    // WHEN
    const manifests = Testing.synth(chart);

    // THEN the declared Namespace carries the ambient label (no second Namespace object)
    expect(manifests.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.labels)).toEqual([{ 'istio.io/dataplane-mode': 'ambient' }]);
    // AND one waypoint of class istio-waypoint with its HBONE listener serves Service traffic
    const waypoints = manifests.filter((o) => o.spec?.gatewayClassName === 'istio-waypoint');
    expect(waypoints).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    }]);
    expect([web.waypoint?.name, api.waypoint]).toEqual(['waypoint', undefined]);
    // AND both main Services use it, so their mesh routes take effect at the waypoint
    expect(manifests.filter((o) => o.kind === 'Service' && ['web', 'api'].includes(o.metadata.name)).map((s) => s.metadata.labels['istio.io/use-waypoint']))
      .toEqual(['waypoint', 'waypoint']);
  });

  test('a waypoint in another namespace is named on the Service; enrolment writes a Namespace when none is declared', () => {
    const { chart } = blueGreen({}, ReleaseOutput.gatewayApi({ ambient: { enrollNamespace: true, waypoint: Waypoint.fromName('shared', 'infra') } }));
    const manifests = Testing.synth(chart);
    expect(manifests.find((o) => o.kind === 'Service').metadata.labels).toEqual({ 'app': 'web', 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' });
    expect(manifests.filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(manifests.find((o) => o.kind === 'Namespace')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } });
  });

  test('a namespace that injects sidecars cannot be enrolled', () => {
    const chart = new Chart(new App(), 'c');
    new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    expect(() => new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: HTTP, output: ReleaseOutput.gatewayApi({ ambient: { enrollNamespace: true } }) }))
      .toThrow(/namespace 'shop' \(c\/ns\/Resource\) is labelled istio-injection=enabled, so its pods get sidecars and never join ambient mode/);
  });
});
