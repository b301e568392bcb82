import { App, Chart, Testing } from 'cdk8s';
import { build as buildColor } from '../examples/color/app';
import { build as buildCowsay } from '../examples/cowsay/app';
import {
  BlueGreen, BlueGreenProps, Canary, CookieRoute, GatewayBinding, PathRoute, PlanEntryKind, PortProtocol, PreviewHosts, ReleaseOutput, RequestMatch,
  RouteSimulator, TrafficAnalyzer, TrafficPlan,
} from '../src';
import { summarize } from './routing';

/**
 * Releases sharing a host on one gateway workload. istiod gives every Gateway that selects the same
 * pods one route table per port (pilot/pkg/model/push_context.go mergeGateways), merges the routes of
 * every VirtualService bound for a host into one virtual host in creation order and moves only
 * catch-alls last (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig,
 * pilot/pkg/networking/core/route/route.go SortVHostRoutes; the order between VirtualServices is
 * undefined, docs/istio-semantics.md §1.7), and Envoy picks the most specific virtual host per request
 * (source/common/router/config_impl.cc findVirtualHost). A release mounted under a path prefix shares
 * a host when no outcome depends on that order; every other overlap is a synth-time error.
 */

/** The platform's shared Gateway, which the app binds to by reference. */
const PUBLIC_GATEWAY = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'istio-system' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};

const PORTS = [{ port: 80, protocol: PortProtocol.HTTP }];

function release(chart: Chart, id: string, props: Partial<BlueGreenProps>): BlueGreen {
  return new BlueGreen(chart, id, {
    serviceName: id, namespace: 'shop', ports: PORTS, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'blue', ...props,
  });
}

/** Synthesizes the app and returns every manifest, or throws the validation errors. */
function synthApp(app: App): any[] {
  return app.charts.flatMap((chart) => Testing.synth(chart));
}

/** The same manifests, with VirtualServices created in reverse name order (istiod orders by creation time). */
function reversedCreation(manifests: any[]): any[] {
  const names = manifests.filter((m) => m.kind === 'VirtualService').map((m) => m.metadata.name).sort().reverse();
  return manifests.map((m) => (m.kind !== 'VirtualService' ? m
    : { ...m, metadata: { ...m.metadata, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, names.indexOf(m.metadata.name))).toISOString() } }));
}

function shop(props: { api?: Partial<BlueGreenProps>; web?: Partial<BlueGreenProps> } = {}): App {
  const app = Testing.app();
  const chart = new Chart(app, 'shop');
  release(chart, 'web', { hosts: ['shop.example.com'], gateway: GatewayBinding.create({ name: 'shop' }), ...props.web });
  release(chart, 'api', { hosts: ['shop.example.com'], pathPrefix: '/api', rewritePrefix: '/', gateway: GatewayBinding.create({ name: 'shop-api' }), ...props.api });
  return app;
}

describe('shop.example.com/api to api, everything else to web', () => {
  test('synthesizes, and the simulator routes every path to its release whatever the creation order', () => {
    // GIVEN web on every path of shop.example.com and api mounted under /api (rewritten to /), each
    // with its own Gateway on the default ingress pods
    const manifests = synthApp(shop());

    // WHEN requests arrive through either Gateway, with the VirtualServices created in either order
    for (const order of [manifests, reversedCreation(manifests)]) {
      const sim = new RouteSimulator(order);
      const via = (gateway: string, path: string) => {
        const result = sim.route({ gateway, host: 'shop.example.com', path });
        return { service: result.destinations[0]?.host, ...summarize(result) };
      };

      // THEN /api and paths under it reach api with the prefix stripped, everything else reaches web
      for (const gateway of ['shop/shop', 'shop/shop-api']) {
        expect(via(gateway, '/api/users?id=1')).toEqual({ service: 'api.shop.svc.cluster.local', status: 200, to: { blue: 100 }, path: '/users?id=1' });
        expect(via(gateway, '/api')).toEqual({ service: 'api.shop.svc.cluster.local', status: 200, to: { blue: 100 }, path: '/' });
        expect(via(gateway, '/api/')).toEqual({ service: 'api.shop.svc.cluster.local', status: 200, to: { blue: 100 }, path: '/' });
        expect(via(gateway, '/apis')).toEqual({ service: 'web.shop.svc.cluster.local', status: 200, to: { blue: 100 }, path: '/apis' });
        expect(via(gateway, '/')).toEqual({ service: 'web.shop.svc.cluster.local', status: 200, to: { blue: 100 }, path: '/' });
      }
    }
  });

  test('the plan shows one table for the shared pods and port, api\'s rules first and nothing shadowed; check finds nothing', () => {
    // GIVEN the shop platform
    const manifests = synthApp(shop());

    // WHEN the plan and the analyzer read it
    const plan = TrafficPlan.fromManifests(manifests);
    const tables = plan.routeTables.filter((t) => t.entryKind === PlanEntryKind.GATEWAY && t.hosts.includes('shop.example.com'));

    // THEN one table serves the host for both Gateways: api's mount, then web's catch-all
    expect(tables).toHaveLength(1);
    expect(tables[0].gateways).toEqual(['shop/shop', 'shop/shop-api']);
    expect(tables[0].rules.map((r) => [r.virtualService, r.destinations.map((d) => `${d.host} ${d.subset}`), r.shadowedBy])).toEqual([
      ['shop/api-ingress', ['api.shop.svc.cluster.local blue'], undefined],
      ['shop/web-ingress', ['web.shop.svc.cluster.local blue'], undefined],
    ]);
    expect(tables[0].rules[0].match).toContain('/api');
    expect(TrafficAnalyzer.analyze(manifests).filter((f) => f.code === 'ISTT006' || f.code === 'IST0109')).toEqual([]);
  });

  test('the mount applies to the gateway only: mesh callers reach api on its own paths', () => {
    // GIVEN the shop platform WHEN a mesh caller asks api for /users
    const sim = new RouteSimulator(synthApp(shop()));
    const result = sim.route({ sourceNamespace: 'shop', host: 'api.shop.svc.cluster.local', path: '/users' });

    // THEN it reaches api's active version with the path unchanged
    expect(summarize(result)).toEqual({ status: 200, to: { blue: 100 }, path: '/users' });
  });

  test('routes of a mounted release are declared in the paths the service receives and moved under the mount', () => {
    // GIVEN api mounted at /api (rewritten to /) with a path route /v2 -> green and a tester cookie
    const app = shop();
    const api = app.node.findAll().find((c) => c instanceof BlueGreen && c.serviceName === 'api') as BlueGreen;
    new PathRoute(api.node.scope!, 'api-v2', { release: api, version: 'green', pathPrefix: '/v2', rewritePrefix: '/' });
    new CookieRoute(api.node.scope!, 'api-qa', { release: api, version: 'green', cookieName: 'qa', cookieValue: '1' });
    const sim = new RouteSimulator(synthApp(app));
    const via = (path: string, cookie?: string) => summarize(sim.route({ gateway: 'shop/shop', host: 'shop.example.com', path, headers: cookie ? { cookie } : {} }));

    // WHEN / THEN /api/v2/x reaches green as /x, the cookie reaches green under /api only, mesh callers use /v2
    expect(via('/api/v2/x')).toEqual({ status: 200, to: { green: 100 }, path: '/x' });
    expect(via('/api/x', 'qa=1')).toEqual({ status: 200, to: { green: 100 }, path: '/x' });
    expect(via('/api/x')).toEqual({ status: 200, to: { blue: 100 }, path: '/x' });
    expect(via('/x', 'qa=1')).toEqual({ status: 200, to: { blue: 100 }, path: '/x' });
    expect(summarize(sim.route({ sourceNamespace: 'shop', host: 'api.shop.svc.cluster.local', path: '/v2/x' }))).toEqual({ status: 200, to: { green: 100 }, path: '/x' });
  });

  test('without rewritePrefix the service receives the full path, and its routes are written with it', () => {
    // GIVEN api mounted at /api without rewrite and a canary-like path route under /api/v2
    const app = shop({ api: { rewritePrefix: undefined } });
    const api = app.node.findAll().find((c) => c instanceof BlueGreen && c.serviceName === 'api') as BlueGreen;
    new PathRoute(api.node.scope!, 'api-v2', { release: api, version: 'green', pathPrefix: '/api/v2' });
    const sim = new RouteSimulator(synthApp(app));
    const via = (path: string) => summarize(sim.route({ gateway: 'shop/shop', host: 'shop.example.com', path }));

    // WHEN / THEN
    expect(via('/api/v2/x')).toEqual({ status: 200, to: { green: 100 }, path: '/api/v2/x' });
    expect(via('/api/x')).toEqual({ status: 200, to: { blue: 100 }, path: '/api/x' });
    expect(via('/x')).toEqual({ status: 200, to: { blue: 100 }, path: '/x' });
  });

  test('the mount also applies to preview hosts', () => {
    // GIVEN api with preview host api-green.example.com, mounted at /api
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'api2', { hosts: ['other.example.com'], pathPrefix: '/v', previewHosts: PreviewHosts.map({ green: 'api2-green.example.com' }) });
    const sim = new RouteSimulator(synthApp(app));

    // WHEN / THEN the preview host answers under the mount only
    expect(summarize(sim.route({ gateway: 'shop/api2-gateway', host: 'api2-green.example.com', path: '/v/x' })).to).toEqual({ green: 100 });
    expect(summarize(sim.route({ gateway: 'shop/api2-gateway', host: 'api2-green.example.com', path: '/x' })).status).toBe(404);
  });
});

describe('claims that overlap fail at synth, naming both construct paths, the host and the paths', () => {
  test('the cowsay and color examples in one app (cowsay.example.com and "*" on the default ingress pods)', () => {
    // GIVEN both examples built into one app: each creates its own Gateway for istio=ingressgateway on port 80
    const app = Testing.app();
    buildCowsay(app);
    buildColor(app);

    // WHEN / THEN Envoy sends cowsay.example.com to its own virtual host, so color loses that host
    expect(() => synthApp(app)).toThrow(
      "color/color (host '*', every path) and cowsay/cowsay (host 'cowsay.example.com', every path) overlap on port 80 of the gateway pods labelled istio=ingressgateway: "
      + "Envoy sends every request for 'cowsay.example.com' to that more specific virtual host and never merges the two, so color/color gets no request for 'cowsay.example.com' on any path",
    );
  });

  test('both on "*": the older catch-all takes every request the other release declared', () => {
    // GIVEN cowsay and color both on '*' with their own Gateways on the default ingress pods
    const app = Testing.app();
    const chart = new Chart(app, 'cowsay');
    new BlueGreen(chart, 'cowsay', { serviceName: 'cowsay', namespace: 'cowsay', ports: PORTS, hosts: ['*'], versions: [{ name: 'v1' }], activeVersion: 'v1' });
    buildColor(app);

    // WHEN / THEN
    expect(() => synthApp(app)).toThrow(
      "color/color and cowsay/cowsay both take every remaining path of host '*' on port 80 of the gateway pods labelled istio=ingressgateway: "
      + 'istiod merges their VirtualServices into one virtual host and moves catch-alls last in creation order, so only the older one\'s catch-all ever matches',
    );
  });

  test('two releases on every path of one host', () => {
    // GIVEN web and api without pathPrefix on shop.example.com
    const app = shop({ api: { pathPrefix: undefined, rewritePrefix: undefined } });

    // WHEN / THEN
    expect(() => synthApp(app)).toThrow(/shop\/web and shop\/api both take every remaining path of host 'shop.example.com' on port 80/);
  });

  test('nested prefixes (/api and /api/v2) overlap', () => {
    // GIVEN api on /api and v2 on /api/v2 of the same host
    const app = shop();
    release(app.charts[0], 'apiv2', { hosts: ['shop.example.com'], pathPrefix: '/api/v2' });

    // WHEN / THEN both have routes for /api/v2/...; their order decides
    expect(() => synthApp(app)).toThrow(
      "shop/api (route 'default -> blue' on paths starting with /api/) and shop/apiv2 (route 'default -> blue' on paths starting with /api/v2/) can both match one request for host 'shop.example.com' on port 80 of the gateway pods labelled istio=ingressgateway: "
      + 'istiod concatenates their VirtualServices in creation order, which Istio leaves undefined (name order for objects applied together)',
    );
  });

  test('a cookie route of the release that takes the rest overlaps the mounted release', () => {
    // GIVEN web (every path) with a tester cookie, and api under /api
    const app = shop();
    const web = app.node.findAll().find((c) => c instanceof BlueGreen && c.serviceName === 'web') as BlueGreen;
    new CookieRoute(app.charts[0], 'qa', { release: web, version: 'green', cookieName: 'qa', cookieValue: '1' });

    // WHEN / THEN /api/x with the cookie is claimed by both, and creation order decides
    expect(() => synthApp(app)).toThrow(/shop\/api \(route 'default -> blue' on paths starting with \/api\/\) and shop\/qa|shop\/web \(route 'cookie qa=1 -> green' on every path\)/);
  });

  test('the same prefix through a Gateway outside the app is compared by the reference', () => {
    // GIVEN two releases bound to istio-system/public, both mounted at /api
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'a', { hosts: ['shop.example.com'], pathPrefix: '/api', gateway: GatewayBinding.fromReference('istio-system/public') });
    release(chart, 'b', { hosts: ['shop.example.com'], pathPrefix: '/api', gateway: GatewayBinding.fromReference('istio-system/public') });

    // WHEN / THEN
    expect(() => synthApp(app)).toThrow(/shop\/a \(route 'default -> blue' on [^)]+\) and shop\/b \(route 'default -> blue' on [^)]+\) can both match one request for host 'shop.example.com' on gateway istio-system\/public \(a Gateway outside the app/);
  });

  test('disjoint prefixes through a Gateway outside the app synthesize', () => {
    // GIVEN web (rest) and api (/api) bound to istio-system/public
    const app = shop({ web: { gateway: GatewayBinding.fromReference('istio-system/public') }, api: { gateway: GatewayBinding.fromReference('istio-system/public') } });

    // WHEN the platform's Gateway (outside the app) serves the host on the default ingress pods
    const sim = new RouteSimulator([...synthApp(app), PUBLIC_GATEWAY]);

    // THEN each release gets its paths
    expect(sim.route({ gateway: 'istio-system/public', host: 'shop.example.com', path: '/api/x' }).destinations[0].host).toBe('api.shop.svc.cluster.local');
    expect(sim.route({ gateway: 'istio-system/public', host: 'shop.example.com', path: '/x' }).destinations[0].host).toBe('web.shop.svc.cluster.local');
  });

  test('a Gateway created by one release and referenced by another is the same Gateway', () => {
    // GIVEN web creates shop/shop for shop.example.com; api binds to it by reference on the same host, mounted
    const app = shop({ api: { gateway: GatewayBinding.fromReference('shop/shop') } });

    // WHEN / THEN it synthesizes and routes /api to api
    const sim = new RouteSimulator(synthApp(app));
    expect(sim.route({ gateway: 'shop/shop', host: 'shop.example.com', path: '/api/x' }).destinations[0].host).toBe('api.shop.svc.cluster.local');
  });

  test('a host bound to a Gateway of the app that does not serve it', () => {
    // GIVEN api binds api.example.com to shop/shop, whose server lists only shop.example.com
    const app = shop({ api: { hosts: ['api.example.com'], gateway: GatewayBinding.fromReference('shop/shop') } });

    // WHEN / THEN
    expect(() => synthApp(app)).toThrow("shop/api: host 'api.example.com' is bound to gateway shop/shop (shop/web), whose servers serve 'shop.example.com': the gateway never routes 'api.example.com' to shop/api");
  });

  test('two HTTPS Gateways for one host on the same pods: istiod drops the newer server', () => {
    // GIVEN web and api each create an HTTPS Gateway for shop.example.com (disjoint paths)
    const tls = (name: string) => GatewayBinding.create({ name, credentialName: 'shop-tls' });
    const app = shop({ web: { gateway: tls('shop') }, api: { gateway: tls('shop-api') } });

    // WHEN / THEN (pilot/pkg/model/gateway.go mergeGateways skips a TLS server repeating a host on its port)
    expect(() => synthApp(app)).toThrow(/gateway shop\/shop-api \(shop\/api\) and gateway shop\/shop \(shop\/web\) both serve port 443 on the gateway pods labelled istio=ingressgateway: istiod keeps the older Gateway's server and drops the other/);
  });

  test('two releases that create a Gateway with the same namespace and name', () => {
    // GIVEN web and api both create shop/public
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'web', { hosts: ['web.example.com'], gateway: GatewayBinding.create({ name: 'public' }) });
    release(chart, 'api', { hosts: ['api.example.com'], gateway: GatewayBinding.create({ name: 'public' }) });

    // WHEN / THEN one Gateway object would replace the other, and with it one release's hosts
    expect(() => synthApp(app)).toThrow(/Gateway shop\/public \(networking.istio.io group\) is defined twice, by shop\/web\/Gateway and by shop\/api\/Gateway: .*to share one Gateway, create it in one release and bind the others with GatewayBinding.fromReference\('shop\/public'\)/);
  });

  test('Gateways selecting other pods do not share', () => {
    // GIVEN web on the default ingress and api on an internal gateway, same host, both on every path
    const app = shop({ api: { pathPrefix: undefined, rewritePrefix: undefined, gateway: GatewayBinding.create({ name: 'internal', selector: { istio: 'internal' } }) } });

    // WHEN / THEN they are different pods: it synthesizes
    expect(() => synthApp(app)).not.toThrow();
  });
});

describe('mount prefix props', () => {
  test.each([
    [{ pathPrefix: '/' }, "shop/api: pathPrefix '/' mounts the release on every path"],
    [{ pathPrefix: undefined, rewritePrefix: '/' }, "shop/api: rewritePrefix '/' given without pathPrefix"],
    [{ pathPrefix: 'api' }, "shop/api: invalid pathPrefix 'api'"],
    [{ hosts: undefined }, "shop/api: pathPrefix '/api' would have no effect: it mounts the release on its hosts, and the release has none"],
  ])('%j is rejected', (props, message) => {
    expect(() => shop({ api: props as Partial<BlueGreenProps> })).toThrow(message);
  });

  test('a match outside the mount could never match through the gateway', () => {
    // GIVEN a canary mounted at /api without rewrite, splitting /color
    const chart = new Chart(Testing.app(), 'shop');
    const canary = () => new Canary(chart, 'color', {
      serviceName: 'color',
      namespace: 'shop',
      ports: PORTS,
      hosts: ['shop.example.com'],
      pathPrefix: '/api',
      stable: { name: 'blue' },
      canary: { name: 'green' },
      canaryWeight: 25,
      match: [RequestMatch.uriPrefix('/color')],
    });

    // WHEN / THEN
    expect(canary).toThrow("shop/color: route 'matching requests -> blue 75% / green 25%' matches the path prefix '/color', which lies outside the pathPrefix '/api' of shop/color: through the gateway it could never match; write the path under '/api/', or set rewritePrefix");
  });

  test('a regex path cannot be combined with the mount', () => {
    const chart = new Chart(Testing.app(), 'shop');
    expect(() => new Canary(chart, 'color', {
      serviceName: 'color',
      namespace: 'shop',
      ports: PORTS,
      hosts: ['shop.example.com'],
      pathPrefix: '/api',
      rewritePrefix: '/',
      stable: { name: 'blue' },
      canary: { name: 'green' },
      canaryWeight: 25,
      match: [RequestMatch.uriRegex('/c.*')],
    })).toThrow("shop/color: route 'matching requests -> blue 75% / green 25%' matches the path with the regex '/c.*', which cannot be combined with the pathPrefix '/api' of shop/color");
  });

  test('a canary split on a mounted host is written under the mount, rewritten back', () => {
    // GIVEN color mounted at /shop/color (rewritten to /) splitting /paint 50/50
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new Canary(chart, 'color', {
      serviceName: 'color',
      namespace: 'shop',
      ports: PORTS,
      hosts: ['shop.example.com'],
      pathPrefix: '/shop/color',
      rewritePrefix: '/',
      stable: { name: 'blue' },
      canary: { name: 'green' },
      canaryWeight: 50,
      match: [RequestMatch.uriPrefix('/paint')],
    });
    const sim = new RouteSimulator(synthApp(app));
    const via = (path: string) => summarize(sim.route({ gateway: 'shop/color-gateway', host: 'shop.example.com', path }));

    // WHEN / THEN
    expect(via('/shop/color/paint/1')).toEqual({ status: 200, to: { blue: 50, green: 50 }, path: '/paint/1' });
    expect(via('/shop/color/x')).toEqual({ status: 200, to: { blue: 100 }, path: '/x' });
    expect(via('/shop/colors').status).toBe(404);
  });

  test('Flagger cannot carry a mount', () => {
    const chart = new Chart(Testing.app(), 'shop');
    expect(() => release(chart, 'api', {
      hosts: ['shop.example.com'],
      pathPrefix: '/api',
      versions: [{ name: 'blue' }, { name: 'green' }],
      output: ReleaseOutput.flagger({}),
    })).toThrow("shop/api: pathPrefix '/api' cannot be handed to Flagger");
  });
});

describe('Gateway API output', () => {
  test('the mount is a PathPrefix on the listener hostname, with the prefix replaced', () => {
    // GIVEN api mounted at /api (rewritten to /) as Gateway API on a shared Gateway
    const app = shop({
      web: { gateway: GatewayBinding.fromReference('istio-system/public'), output: ReleaseOutput.gatewayApi(), activeVersion: 'blue' },
      api: { gateway: GatewayBinding.fromReference('istio-system/public'), output: ReleaseOutput.gatewayApi(), activeVersion: 'blue' },
    });

    // WHEN
    const routes = synthApp(app).filter((m) => m.kind === 'HTTPRoute' && m.metadata.name === 'api-ingress');

    // THEN exactly /api becomes /, and the PathPrefix /api (whole segments) has its prefix replaced by /
    expect(routes[0].spec.hostnames).toEqual(['shop.example.com']);
    expect(routes[0].spec.rules).toEqual([{
      matches: [{ path: { type: 'Exact', value: '/api' } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/' } } }],
      backendRefs: [{ name: 'api-blue', port: 80 }],
    }, {
      matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
      backendRefs: [{ name: 'api-blue', port: 80 }],
    }]);
  });

  test('overlapping mounts on one Gateway are an error', () => {
    const api = { gateway: GatewayBinding.fromReference('istio-system/public'), output: ReleaseOutput.gatewayApi() };
    expect(() => {
      const app = shop({ api, web: { ...api, pathPrefix: '/api/v2' } });
      synthApp(app);
    }).toThrow("shop/api: pathPrefix '/api' of host 'shop.example.com' on gateway istio-system/public overlaps pathPrefix '/api/v2' of shop/web");
  });
});
