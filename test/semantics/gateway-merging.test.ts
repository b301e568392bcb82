import * as path from 'path';
import { PlanEntryKind, RouteOutcome, RouteSimulator, TrafficAnalyzer, TrafficPlan } from '../../src';
import { parseManifestText, readManifestFiles } from '../../src/manifests/manifest-files';
import { gatewayHostClaims, overlappingClaims } from '../../src/semantics/gateways';
import { ManifestIndex } from '../../src/semantics/manifest-index';

/**
 * Gateways as istiod builds them. A request through an ingress arrives at gateway pods; every Gateway
 * selecting those pods contributes its servers (pilot/pkg/model/push_context.go mergeGateways:
 * selector SubsetOf proxy labels), plain-HTTP servers on one port share the route table http.<port>
 * (pilot/pkg/model/gateway.go mergeGateways, gatewayRDSRouteName), and every VirtualService bound to
 * any of those Gateways adds its routes to the virtual host of each intersecting host, catch-alls
 * moved last (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig,
 * pilot/pkg/networking/core/route/route.go SortVHostRoutes).
 */

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The committed cowsay and color examples, as one cluster's manifests. */
function cowsayAndColor(cowsayHost?: string): any[] {
  const manifests = [...readManifestFiles([path.join(EXAMPLES, 'cowsay', 'dist')]), ...readManifestFiles([path.join(EXAMPLES, 'color', 'dist')])];
  if (cowsayHost) {
    // the cowsay release exposed on every host, like the color release
    for (const m of manifests) {
      if (m.kind === 'Gateway' && m.metadata.name === 'cowsay-gateway') {
        m.spec.servers[0].hosts = [cowsayHost];
      }
      if (m.kind === 'VirtualService' && m.metadata.name === 'cowsay-ingress') {
        m.spec.hosts = [cowsayHost];
      }
    }
  }
  return manifests;
}

describe('two releases on the default ingress pods (cowsay + color)', () => {
  test('both "*": the oldest catch-all takes the host and the other release is unreachable, in the simulator and the plan', () => {
    // GIVEN the cowsay and color releases, each with its own Gateway selecting istio=ingressgateway, both for '*'
    const manifests = cowsayAndColor('*');
    const sim = new RouteSimulator(manifests);

    // WHEN a request for any host enters through either Gateway
    const viaCowsay = sim.route({ gateway: 'cowsay/cowsay-gateway', host: 'cowsay.example.com', path: '/' });
    const viaColor = sim.route({ gateway: 'color/color-gateway', host: 'cowsay.example.com', path: '/' });

    // THEN both arrive at the same pods and the same merged virtual host '*': routes are concatenated in
    // creation order (no timestamps: by name, color-service-ingress < cowsay-ingress) and catch-alls
    // move last, so color's catch-all comes before cowsay's and cowsay never gets a request
    for (const result of [viaCowsay, viaColor]) {
      expect(result.outcome).toBe(RouteOutcome.ROUTED);
      expect(result.rule).toEqual(expect.objectContaining({ namespace: 'color', name: 'color-service-ingress', ruleIndex: 1 }));
      expect(result.destinations.map((d) => d.host)).toEqual(['color-service.color.svc.cluster.local']);
    }
    expect(viaCowsay.notes).toContain('2 Gateways select these pods and share their listeners: color/color-gateway, cowsay/cowsay-gateway');

    // AND the plan shows one table for the shared pods and port, cowsay's catch-all shadowed by color's
    const plan = TrafficPlan.fromManifests(manifests);
    const shared = plan.routeTables.filter((t) => t.entryKind === PlanEntryKind.GATEWAY && t.hosts.includes('*'));
    expect(shared).toHaveLength(1);
    expect(shared[0].gateways).toEqual(['color/color-gateway', 'cowsay/cowsay-gateway']);
    expect(shared[0].port).toBe(80);
    expect(shared[0].rules.map((r) => [r.position, r.virtualService, r.match, r.shadowedBy])).toEqual([
      [1, 'color/color-service-ingress', 'path /color…', undefined],
      [2, 'color/color-service-ingress', 'any request', undefined],
      [3, 'cowsay/cowsay-ingress', 'any request', 2],
    ]);
    expect(plan.toMarkdown()).toContain('| gateways color/color-gateway, cowsay/cowsay-gateway (port 80) | \\* | 3 | any request | cowsay.cowsay v1 100% | - |');

    // AND the analyzer reports the dead catch-all on the shared pods
    const conflicts = TrafficAnalyzer.analyze(manifests).filter((f) => f.code === 'ISTT006');
    expect(conflicts.map((f) => [f.severity, f.name])).toEqual([['ERROR', 'cowsay-ingress']]);
  });

  test('cowsay on its own host and color on "*": the most specific virtual host wins, so both are reachable', () => {
    // GIVEN the committed examples as they are: cowsay.example.com and '*' on the same pods and port
    const sim = new RouteSimulator(cowsayAndColor());

    // WHEN requests for cowsay's host and for another host arrive (Envoy picks the exact domain before '*',
    // source/common/router/config_impl.cc findVirtualHost)
    const cowsay = sim.route({ gateway: 'color/color-gateway', host: 'cowsay.example.com' });
    const other = sim.route({ gateway: 'cowsay/cowsay-gateway', host: 'color.example.com', path: '/color' });

    // THEN each release gets its own host, whichever Gateway names the entry point
    expect(cowsay.rule).toEqual(expect.objectContaining({ name: 'cowsay-ingress' }));
    expect(other.rule).toEqual(expect.objectContaining({ name: 'color-service-ingress', ruleIndex: 0 }));
  });
});

describe('host claims on gateway workloads (for conflict checks)', () => {
  test('claims are per workload, port and domain; a wildcard and a name it covers overlap', () => {
    // GIVEN cowsay.example.com (cowsay) and '*' (color) on the same ingress pods and port
    const claims = gatewayHostClaims(new ManifestIndex(cowsayAndColor()));

    // WHEN / THEN both claims sit on one workload and port 80, and they overlap
    expect(claims.map((c) => [c.workload.key, c.port, c.domain, c.virtualService.name, c.catchAll])).toEqual([
      ['selector:istio=ingressgateway', 80, '*', 'color-service-ingress', true],
      ['selector:istio=ingressgateway', 80, 'cowsay.example.com', 'cowsay-ingress', true],
    ]);
    expect(overlappingClaims(claims).map(([a, b]) => [a.domain, b.domain])).toEqual([['*', 'cowsay.example.com']]);
  });
});

const TWO_GATEWAYS = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: wild, namespace: edge }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*.example.com"] }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog, namespace: edge }
spec:
  hosts: ["*.example.com"]
  gateways: [edge/wild]
  http: [{ route: [{ destination: { host: catalog.edge.svc.cluster.local } }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [shop/shop]
  http:
  - match: [{ uri: { prefix: /cart } }]
    route: [{ destination: { host: cart.shop.svc.cluster.local } }]
---
apiVersion: v1
kind: Service
metadata: { name: catalog, namespace: edge }
spec: { selector: { app: catalog }, ports: [{ name: http, port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: cart, namespace: shop }
spec: { selector: { app: cart }, ports: [{ name: http, port: 80 }] }
`;

describe('two Gateways with the same selector and overlapping hosts on one port', () => {
  test('the request lands on the pods, so the exact host beats the wildcard whichever Gateway is named', () => {
    // GIVEN edge/wild (*.example.com) and shop/shop (shop.example.com), both selecting istio=ingressgateway on port 80
    const sim = new RouteSimulator(parseManifestText(TWO_GATEWAYS, 'two-gateways'));

    // WHEN shop.example.com/cart and shop.example.com/ arrive "through" edge/wild
    const cart = sim.route({ gateway: 'edge/wild', host: 'shop.example.com', path: '/cart' });
    const home = sim.route({ gateway: 'edge/wild', host: 'shop.example.com', path: '/' });
    const other = sim.route({ gateway: 'shop/shop', host: 'news.example.com' });

    // THEN the virtual host shop.example.com (from shop/shop) decides: /cart goes to cart, and / gets 404
    // because the wildcard virtual host is a different one (Envoy does not fall back between virtual hosts)
    expect(cart.destinations.map((d) => d.host)).toEqual(['cart.shop.svc.cluster.local']);
    expect(home.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(home.statusCode).toBe(404);
    // AND other hosts reach the wildcard release even when named through shop/shop
    expect(other.destinations.map((d) => d.host)).toEqual(['catalog.edge.svc.cluster.local']);
  });

  test('the plan lists both virtual hosts of the shared port, each with its own rules', () => {
    // GIVEN the same two Gateways
    const plan = TrafficPlan.fromManifests(parseManifestText(TWO_GATEWAYS, 'two-gateways'));

    // WHEN reading the gateway tables
    const tables = plan.routeTables.filter((t) => t.entryKind === PlanEntryKind.GATEWAY);

    // THEN each domain has one table on the same pods and port, with the 404 for shop's unmatched paths noted
    expect(tables.map((t) => [t.hosts.join(','), t.gateway, t.port, t.gatewayWorkload])).toEqual([
      ['shop.example.com', 'shop/shop', 80, 'gateway pods labelled istio=ingressgateway (not in the manifests; assumed in namespace istio-system)'],
      ['*.example.com', 'edge/wild', 80, 'gateway pods labelled istio=ingressgateway (not in the manifests; assumed in namespace istio-system)'],
    ]);
    expect(tables[0].notes).toContain('requests no rule matches get 404 (no route)');
  });

  test('the same host on both Gateways merges into one virtual host, catch-alls last', () => {
    // GIVEN both Gateways exposing shop.example.com with a catch-all from edge and a /cart rule from shop
    const text = TWO_GATEWAYS.replace('hosts: ["*.example.com"]\n  gateways: [edge/wild]', 'hosts: [shop.example.com]\n  gateways: [edge/wild]');
    const sim = new RouteSimulator(parseManifestText(text, 'merged'));

    // WHEN / THEN /cart still reaches cart although edge/catalog is older: catch-alls move last
    expect(sim.route({ gateway: 'edge/wild', host: 'shop.example.com', path: '/cart/1' }).destinations[0].host).toBe('cart.shop.svc.cluster.local');
    expect(sim.route({ gateway: 'shop/shop', host: 'shop.example.com', path: '/' }).destinations[0].host).toBe('catalog.edge.svc.cluster.local');
  });
});

describe('servers istiod leaves out when merging', () => {
  const gateway = (name: string, port: string, hosts: string, tls = '') => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: ${port}, hosts: [${hosts}]${tls} }]
---`;
  const routes = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: istio-system }
spec:
  hosts: [web.example.com]
  gateways: [a, b]
  http: [{ route: [{ destination: { host: web.istio-system.svc.cluster.local } }] }]
  tcp: [{ route: [{ destination: { host: db.istio-system.svc.cluster.local } }] }]
`;

  test('a TCP server cannot join the HTTP listener an older Gateway opened on its port (model/gateway.go canMergeProtocols)', () => {
    // GIVEN Gateway a (HTTP on 8080) and the younger Gateway b (TCP on 8080) on the same pods
    const text = gateway('a', '{ number: 8080, name: http, protocol: HTTP }', 'web.example.com')
      + gateway('b', '{ number: 8080, name: tcp, protocol: TCP }', 'web.example.com') + routes;

    // WHEN a request goes "through" b
    const result = new RouteSimulator(parseManifestText(text, 'conflict')).route({ gateway: 'istio-system/b', host: 'web.example.com', port: 8080 });

    // THEN b's server is skipped and the HTTP listener of a answers
    expect(result.rule).toEqual(expect.objectContaining({ kind: 'http' }));
    expect(result.notes.join('\n')).toContain('istiod skips server 0 of gateway istio-system/b: port 8080 already has a HTTP server from an older Gateway, and a TCP server cannot join it');
  });

  test('a TLS server repeating a host another Gateway already serves with TLS on the port is skipped (model/gateway.go CheckDuplicates)', () => {
    // GIVEN two HTTPS Gateways for web.example.com on 443, a older than b
    const tls = ', tls: { mode: SIMPLE, credentialName: cert }';
    const text = gateway('a', '{ number: 443, name: https-a, protocol: HTTPS }', 'web.example.com', tls)
      + gateway('b', '{ number: 443, name: https-b, protocol: HTTPS }', 'web.example.com', tls) + routes;

    // WHEN a request goes through b
    const result = new RouteSimulator(parseManifestText(text, 'dup')).route({ gateway: 'istio-system/b', host: 'web.example.com', port: 443 });

    // THEN a's server terminates TLS and routes it; b's is reported as skipped
    expect(result.rule).toEqual(expect.objectContaining({ name: 'web', kind: 'http' }));
    expect(result.notes.join('\n')).toContain('istiod skips server 0 of gateway istio-system/b: host web.example.com is already served with TLS on port 443');
  });
});

describe('order of VirtualServices on a gateway (push_context.go VirtualServicesForGateway)', () => {
  test('VirtualServices exported only to the gateway namespace come before public ones, whatever their age', () => {
    // GIVEN an older public VirtualService and a younger one exported to '.' in the gateway pods' namespace,
    // both with a catch-all for app.example.com
    const route = (name: string, exportTo: string, subset: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: istio-system }
spec:
  hosts: [app.example.com]
  gateways: [ingress]${exportTo}
  http: [{ route: [{ destination: { host: app.istio-system.svc.cluster.local, subset: ${subset} } }] }]
---`;
    const text = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ingress, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---${route('a-public', '', 'public')}${route('b-private', '\n  exportTo: ["."]', 'private')}`;

    // WHEN a request arrives at the pods (assumed in istio-system, the Gateway's namespace)
    const result = new RouteSimulator(parseManifestText(text, 'order')).route({ gateway: 'istio-system/ingress', host: 'app.example.com' });

    // THEN the private VirtualService's catch-all comes first and decides
    expect(result.rule?.name).toBe('b-private');
  });
});
