import { RouteOutcome, RouteSimulator, TrafficAnalyzer } from '../../src';
import { parseManifestText } from '../../src/manifests/manifest-files';

/** Destinations as istiod resolves them: cluster port, visibility and endpoints. */

const sim = (text: string) => new RouteSimulator(parseManifestText(text, 'test'));

const SERVICE = (name: string, ns: string, ports: string, annotations = '') => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns}${annotations} }
spec: { selector: { app: ${name} }, ports: ${ports} }
---`;

const DEPLOYMENT = (name: string, ns: string, labels: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec: { template: { metadata: { labels: ${labels} } } }
---`;

describe('listener port for sidecar routes without destination.port', () => {
  // pilot/pkg/networking/core/route/route.go GetDestinationCluster: explicit port, else the port of a
  // single-port service found by LookupService, else the listener port. Sidecar HTTP routes look services up
  // among those of the listener port only (httproute.go BuildSidecarOutboundVirtualHosts servicesByName), so a
  // destination without a port always gets the listener port there.
  const MESH = SERVICE('front', 'shop', '[{ name: http, port: 80 }]') + SERVICE('ratings', 'shop', '[{ name: http, port: 9080 }]') + `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: front, namespace: shop }
spec:
  hosts: [front]
  http: [{ route: [{ destination: { host: ratings } }] }]
---`;

  test('a mesh route on port 80 to a Service that only has 9080 is 503 NC', () => {
    // GIVEN front (port 80) routed to ratings (only port 9080) without destination.port
    // WHEN a pod calls front on port 80
    const result = sim(MESH).route({ sourceNamespace: 'shop', host: 'front', port: 80 });

    // THEN the cluster is outbound|80||ratings..., which does not exist
    expect(result.outcome).toBe(RouteOutcome.NO_HEALTHY_UPSTREAM);
    expect(result.statusCode).toBe(503);
    expect(result.destinations).toEqual([expect.objectContaining({ host: 'ratings.shop.svc.cluster.local', port: 80, healthy: false })]);
    expect(result.reason).toContain('the listener port 80 is used');
    expect(result.reason).toContain('(503 NC)');
  });

  test('the same route through a gateway uses the single service port (gateway.go looks up the whole Service)', () => {
    // GIVEN the same destination bound to a gateway
    const text = MESH.replace('hosts: [front]', 'hosts: [front.example.com]\n  gateways: [shop/gw]') + `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: shop }
spec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }] }
`;
    // WHEN / THEN
    const result = sim(text).route({ gateway: 'shop/gw', host: 'front.example.com' });
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.destinations[0].port).toBe(9080);
  });
});

describe('visibility (exportTo)', () => {
  test('a Service with networking.istio.io/exportTo "." is invisible to other namespaces: passthrough, not a default route', () => {
    // GIVEN a Service exported only to its own namespace (pilot/pkg/serviceregistry/kube/conversion.go ConvertService,
    // pkg/config/visibility; sidecars only get services visible to them)
    const text = SERVICE('db-api', 'data', '[{ name: http, port: 80 }]', ', annotations: { networking.istio.io/exportTo: "." }');

    // WHEN a pod in another namespace and one in the same namespace call it
    const outside = sim(text).route({ sourceNamespace: 'web', host: 'db-api.data.svc.cluster.local' });
    const inside = sim(text).route({ sourceNamespace: 'data', host: 'db-api' });

    // THEN only the same-namespace caller has a route to it
    expect(outside.outcome).toBe(RouteOutcome.PASSTHROUGH);
    expect(inside.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });

  test('a VirtualService destination not exported to the caller is a missing cluster (503 NC)', () => {
    // GIVEN a route from web to a Service exported to namespace data only
    const text = SERVICE('front', 'web', '[{ name: http, port: 80 }]')
      + SERVICE('db-api', 'data', '[{ name: http, port: 80 }]', ', annotations: { networking.istio.io/exportTo: "data" }') + `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: front, namespace: web }
spec:
  hosts: [front]
  http: [{ route: [{ destination: { host: db-api.data.svc.cluster.local } }] }]
`;
    // WHEN / THEN
    const result = sim(text).route({ sourceNamespace: 'web', host: 'front' });
    expect(result.statusCode).toBe(503);
    expect(result.reason).toContain('service db-api.data.svc.cluster.local is not exported to namespace web');
  });

  test('a ServiceEntry exported to "." only counts as a destination in its own namespace', () => {
    // GIVEN a ServiceEntry for api.partner.com in namespace egress, exportTo [.]
    const text = SERVICE('front', 'web', '[{ name: http, port: 80 }]') + `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: partner, namespace: egress }
spec: { hosts: [api.partner.com], exportTo: ["."], ports: [{ number: 443, name: https, protocol: HTTPS }], resolution: DNS }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: front, namespace: web }
spec:
  hosts: [front]
  http: [{ route: [{ destination: { host: api.partner.com, port: { number: 443 } } }] }]
`;
    // WHEN / THEN the caller in web does not see it
    expect(sim(text).route({ sourceNamespace: 'web', host: 'front' }).statusCode).toBe(503);
  });

  test('a VirtualService exported only to its own namespace does not apply to callers elsewhere', () => {
    // GIVEN a VirtualService for ratings with exportTo [.] sending everything to subset v2
    const text = SERVICE('ratings', 'shop', '[{ name: http, port: 80 }]') + `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: shop }
spec:
  hosts: [ratings]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: ratings, subset: v2 } }] }]
`;
    // WHEN / THEN callers in shop get the rule, callers elsewhere the default route
    expect(sim(text).route({ sourceNamespace: 'web', host: 'ratings.shop' }).outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(sim(text).route({ sourceNamespace: 'shop', host: 'ratings' }).rule?.name).toBe('ratings');
  });
});

describe('endpoints judged per Service', () => {
  const TWO_SERVICES = SERVICE('web', 'shop', '[{ name: http, port: 80 }]') + SERVICE('api', 'shop', '[{ name: http, port: 80 }]');

  test('an unrelated Deployment does not turn other Services into 503: their pods are assumed, and the result says so', () => {
    // GIVEN the api Service with its Deployment, and the web Service whose pods are deployed elsewhere
    const text = TWO_SERVICES + DEPLOYMENT('api', 'shop', '{ app: api }');

    // WHEN a pod calls web
    const result = sim(text).route({ sourceNamespace: 'shop', host: 'web' });

    // THEN web is routed, with the assumption stated
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.statusCode).toBe(200);
    expect(result.notes).toContain('no workload in the manifests matches the selector of service web.shop.svc.cluster.local (app=web); its pods are assumed to exist');
    // AND the analyzer agrees: no subset or endpoint finding for web
    expect(TrafficAnalyzer.errors(parseManifestText(text, 'test'))).toEqual([]);
  });

  test('a Service whose workloads are in the input is judged: scaled to 0 means 503 UH', () => {
    // GIVEN the api Deployment with replicas: 0
    const text = TWO_SERVICES + DEPLOYMENT('api', 'shop', '{ app: api }').replace('spec: {', 'spec: { replicas: 0,');

    // WHEN / THEN
    const result = sim(text).route({ sourceNamespace: 'shop', host: 'api' });
    expect(result.statusCode).toBe(503);
    expect(result.reason).toContain('Deployment/api is scaled to 0 replicas (503 UH)');
  });
});
