import { parseAllDocuments } from 'yaml';
import { RequestProtocol, RouteOutcome, RouteSimulator, RuleKind } from '../../src';
import { SEED_000_PII_DEMO } from '../seed-manifests';

function load(text: string): RouteSimulator {
  return new RouteSimulator(parseAllDocuments(text).map((d) => d.toJS()));
}


describe('seed 000 pii-demo', () => {
  const sim = load(SEED_000_PII_DEMO);

  test('§1.5 a `headers: host` match never matches in Envoy, so pii-demo-blue through the gateway gets 404', () => {
    // GIVEN the pii-demo manifests whose gateway rules match on a `host` header
    // WHEN a browser asks the gateway for pii-demo-blue.apps.hl.test
    const result = sim.route({ gateway: 'pii-demo/pii-demo-gateway', host: 'pii-demo-blue.apps.hl.test' });
    // THEN Envoy keeps the Host in :authority, no `host` header exists and nothing matches
    expect(result.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(result.statusCode).toBe(404);
    expect(result.reason).toMatch(/404 NR/);
  });

  test('§1.5 even an explicit Host header on the request does not satisfy a `headers: host` match', () => {
    // GIVEN the same manifests
    // WHEN the client sends an explicit Host header too
    const result = sim.route({ gateway: 'pii-demo/pii-demo-gateway', host: 'pii-demo.apps.hl.test', headers: { Host: 'pii-demo.apps.hl.test' } });
    // THEN the round-robin rule still does not match
    expect(result.statusCode).toBe(404);
  });

  test('§1.3 a blue httpd pod reaches the blue subset through its sidecar (sourceLabels selector)', () => {
    // GIVEN a caller pod labelled version=blue in pii-demo
    // WHEN it calls httpd-server
    const result = sim.route({ sourceNamespace: 'pii-demo', sourceLabels: { app: 'httpd-server', version: 'blue' }, host: 'httpd-server' });
    // THEN rule 0, match 1 (the sourceLabels entry) routes it to subset blue
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.destinations).toEqual([expect.objectContaining({ host: 'httpd-server.pii-demo.svc.cluster.local', subset: 'blue', port: 80, percentage: 100, healthy: true })]);
    expect(result.rule).toEqual({ namespace: 'pii-demo', name: 'httpd-server', kind: RuleKind.HTTP, ruleIndex: 0, matchIndex: 1 });
  });

  test('§1.3 a pod without a version label has every mesh match dropped and gets the default route', () => {
    // GIVEN a caller pod without version label
    // WHEN it calls httpd-server.pii-demo from another namespace
    const result = sim.route({ sourceNamespace: 'default', sourceLabels: { app: 'curl' }, host: 'httpd-server.pii-demo' });
    // THEN the VS contributes no routes for it and the whole service is used
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.destinations).toEqual([expect.objectContaining({ host: 'httpd-server.pii-demo.svc.cluster.local', percentage: 100 })]);
    expect(result.destinations[0].subset).toBeUndefined();
    expect(result.notes.join('\n')).toMatch(/contributes no routes/);
  });

  test('§3 a green mysql client is routed by the tcp rule to the green subset', () => {
    // GIVEN a green pod
    // WHEN it opens a TCP connection to mysql-server:3306
    const result = sim.route({ sourceNamespace: 'pii-demo', sourceLabels: { version: 'green' }, host: 'mysql-server', port: 3306, protocol: RequestProtocol.TCP });
    // THEN tcp rule 1 decides and sends everything to the green subset
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.rule).toEqual({ namespace: 'pii-demo', name: 'mysql-server', kind: RuleKind.TCP, ruleIndex: 1, matchIndex: 0 });
    expect(result.destinations).toEqual([expect.objectContaining({ subset: 'green', port: 3306, percentage: 100 })]);
  });

  test('§3 a tcp client matching no sourceLabels falls back to the whole mysql service', () => {
    // GIVEN a pod without version label
    // WHEN it connects to mysql-server (the port defaults to the service's only port)
    const result = sim.route({ sourceNamespace: 'pii-demo', host: 'mysql-server', protocol: RequestProtocol.TCP });
    // THEN no tcp rule applies and the default TCP route is used
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.destinations[0]).toEqual(expect.objectContaining({ host: 'mysql-server.pii-demo.svc.cluster.local', port: 3306 }));
  });
});

describe('seed 003 color canary', () => {
  const COLOR = `
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: { name: color-is-gw }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]
---
apiVersion: v1
kind: Service
metadata: { name: color-service, labels: { app: color } }
spec:
  ports: [{ name: http, port: 8000, targetPort: 8080 }]
  selector: { app: color }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: dep-color-blue }
spec:
  template: { metadata: { labels: { app: color, color: blue } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: dep-color-green }
spec:
  template: { metadata: { labels: { app: color, color: green } } }
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: color-is-dr }
spec:
  host: color-service
  subsets:
  - { name: blue-sub, labels: { color: blue } }
  - { name: green-sub, labels: { color: green } }
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: { name: color-is-vs }
spec:
  hosts: ["*"]
  gateways: [color-is-gw]
  http:
  - match: [{ uri: { prefix: /color } }]
    route:
    - destination: { host: color-service, subset: blue-sub }
      weight: 75
    - destination: { host: color-service, subset: green-sub }
      weight: 25
`;

  test('§2 /color/ through the gateway splits 75/25 between blue-sub and green-sub on the single service port', () => {
    // GIVEN the color canary manifests (everything in namespace default)
    const sim = load(COLOR);
    // WHEN a request for /color/ enters the gateway with any host
    const result = sim.route({ gateway: 'default/color-is-gw', host: '192.168.50.11:30085', path: '/color/' });
    // THEN 75% go to blue-sub and 25% to green-sub, on port 8000 (the only service port)
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.destinations.map((d) => [d.subset, d.percentage, d.port])).toEqual([['blue-sub', 75, 8000], ['green-sub', 25, 8000]]);
  });

  test('§1.5 the /color prefix is not segment-aware: /colorful also matches', () => {
    // GIVEN the color canary manifests
    const sim = load(COLOR);
    // WHEN /colorful is requested
    const result = sim.route({ gateway: 'default/color-is-gw', host: 'anything', path: '/colorful' });
    // THEN it is routed like /color
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
  });

  test('§2 rollback weights 100/0 drop the weight-0 destination', () => {
    // GIVEN the canary rolled back to 100/0
    const sim = load(COLOR.replace('weight: 75', 'weight: 100').replace('weight: 25', 'weight: 0'));
    // WHEN /color is requested
    const result = sim.route({ gateway: 'default/color-is-gw', host: 'x', path: '/color' });
    // THEN only blue-sub remains, with 100%
    expect(result.destinations.map((d) => [d.subset, d.percentage])).toEqual([['blue-sub', 100]]);
  });

  test('§1.6 a path outside /color has no route on the gateway (404)', () => {
    // GIVEN the color canary manifests
    const sim = load(COLOR);
    // WHEN / is requested
    const result = sim.route({ gateway: 'default/color-is-gw', host: 'x', path: '/' });
    // THEN the vhost exists but no route matches
    expect(result.statusCode).toBe(404);
  });
});

describe('seed 004 cookie opt-in with /v1 rewrite', () => {
  const ECHO = `
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: { name: istio-service-mesh-tls-gateway, namespace: istio-inject-blue-green }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: [service-mesh.dev]
---
apiVersion: v1
kind: Service
metadata: { name: blue-green-service, namespace: istio-inject-blue-green }
spec:
  selector: { app.kubernetes.io/name: blue-green-web-echo }
  ports: [{ port: 8600, targetPort: 5678 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: blue, namespace: istio-inject-blue-green }
spec:
  template: { metadata: { labels: { app.kubernetes.io/name: blue-green-web-echo, version: blue-web-echo } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: green, namespace: istio-inject-blue-green }
spec:
  template: { metadata: { labels: { app.kubernetes.io/name: blue-green-web-echo, version: green-web-echo } } }
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: istio-prod-blue-green-destination, namespace: istio-inject-blue-green }
spec:
  host: blue-green-service
  subsets:
  - { name: v1, labels: { version: blue-web-echo } }
  - { name: v2, labels: { version: green-web-echo } }
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: { name: istio-prod-blue-green, namespace: istio-inject-blue-green }
spec:
  hosts: [service-mesh.dev]
  gateways: [istio-service-mesh-tls-gateway]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    rewrite: { uri: / }
    route:
    - destination: { host: blue-green-service, subset: v1, port: { number: 8600 } }
  - match:
    - uri: { prefix: / }
      headers:
        Cookie: { regex: "^(.*?; )?(x-version=v2)(;.*)?$" }
    rewrite: { uri: / }
    route:
    - destination: { host: blue-green-service, subset: v2, port: { number: 8600 } }
  - route:
    - destination: { host: blue-green-service, subset: v1, port: { number: 8600 } }
`;
  const sim = load(ECHO);
  const gateway = 'istio-inject-blue-green/istio-service-mesh-tls-gateway';

  test('§4.1 prefix rewrite of /v1 to / turns /v1/users into //users', () => {
    // GIVEN the seed's /v1 → / rewrite
    // WHEN /v1/users?page=2 is requested
    const result = sim.route({ gateway, host: 'service-mesh.dev', path: '/v1/users?page=2' });
    // THEN the matched prefix is swapped, leaving a double slash, and the query is kept
    expect(result.path).toBe('//users?page=2');
    expect(result.destinations[0].subset).toBe('v1');
  });

  test('§10 the seed cookie regex matches `a=1; x-version=v2` (browser spacing)', () => {
    // GIVEN the cookie rule with `(.*?; )?`
    // WHEN a browser sends the cookie second, separated by "; "
    const result = sim.route({ gateway, host: 'service-mesh.dev', path: '/', headers: { Cookie: 'a=1; x-version=v2' } });
    // THEN rule 1 sends it to v2
    expect(result.rule?.ruleIndex).toBe(1);
    expect(result.destinations[0].subset).toBe('v2');
  });

  test('§10 the seed cookie regex does not match `a=1;x-version=v2` (no space), falling to v1', () => {
    // GIVEN the same rule
    // WHEN a client omits the space after ';'
    const result = sim.route({ gateway, host: 'service-mesh.dev', path: '/', headers: { cookie: 'a=1;x-version=v2' } });
    // THEN RE2 full match fails and the catch-all (rule 2) sends it to v1
    expect(result.rule?.ruleIndex).toBe(2);
    expect(result.destinations[0].subset).toBe('v1');
  });

  test('§4.1 a `prefix: /` match rewritten to `/` keeps the path unchanged for the cookie rule', () => {
    // GIVEN the cookie rule matching prefix / with rewrite /
    // WHEN /app/x is requested with the opt-in cookie
    const result = sim.route({ gateway, host: 'service-mesh.dev', path: '/app/x', headers: { cookie: 'x-version=v2' } });
    // THEN the one-character prefix is swapped for itself
    expect(result.path).toBe('/app/x');
    expect(result.destinations[0].subset).toBe('v2');
  });

  test('§6 a host the gateway server does not list gets 404', () => {
    // GIVEN a server for service-mesh.dev only
    // WHEN another host is requested
    const result = sim.route({ gateway, host: 'other.dev', path: '/' });
    // THEN there is no vhost for it
    expect(result.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(result.statusCode).toBe(404);
  });
});
