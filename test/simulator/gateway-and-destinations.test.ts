import { parseAllDocuments } from 'yaml';
import { RequestProtocol, RouteOutcome, RouteSimulator, RuleKind } from '../../src';

/** An ingress gateway `istio-system/ingress` for *.example.com on 80 (httpsRedirect optional) and app `web` in ns web. */
function world(extra: string, gatewayServers?: string): RouteSimulator {
  const servers = gatewayServers ?? `
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*.example.com"]`;
  const text = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ingress, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:${servers}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  template: { metadata: { labels: { istio: ingressgateway, app: istio-ingressgateway } } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: web }
spec:
  selector: { app: web }
  ports: [{ name: http-web, port: 8080 }, { name: grpc-admin, port: 9090 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-blue, namespace: web }
spec:
  template: { metadata: { labels: { app: web, version: blue } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: web }
spec:
  host: web
  subsets:
  - { name: blue, labels: { version: blue } }
  - { name: green, labels: { version: green } }
---
${extra}`;
  return new RouteSimulator(parseAllDocuments(text).map((d) => d.toJS()));
}

const GW = 'istio-system/ingress';
const vs = (name: string, http: string, more = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: web }
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/ingress]${more}
  http:${http}
---
`;

describe('§1.3 sourceLabels on gateways', () => {
  test('§1.3 a rule with sourceLabels {version: blue} is dropped on the gateway and the next rule decides', () => {
    // GIVEN rule 0 selecting blue callers and rule 1 as fallback, bound to the gateway
    const sim = world(vs('web', `
  - match: [{ sourceLabels: { version: blue } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 8080 } } }]
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`));
    // WHEN a request enters the gateway (whose pod carries istio=ingressgateway)
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the sourceLabels entry is dropped for the gateway pod
    expect(result.rule).toEqual({ namespace: 'web', name: 'web', kind: RuleKind.HTTP, ruleIndex: 1, matchIndex: undefined });
    expect(result.destinations[0].subset).toBeUndefined();
  });

  test('§1.3 sourceLabels {istio: ingressgateway} is kept on the default ingress gateway', () => {
    // GIVEN rule 0 selecting the gateway pod labels
    const sim = world(vs('web', `
  - match: [{ sourceLabels: { istio: ingressgateway } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 8080 } } }]`));
    // WHEN a request enters the gateway
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN rule 0 applies
    expect(result.destinations[0].subset).toBe('blue');
  });

  test('§1.3 when every rule is dropped on a gateway the host has no vhost (404)', () => {
    // GIVEN only a sourceLabels rule for app pods
    const sim = world(vs('web', `
  - match: [{ sourceLabels: { app: frontend } }]
    route: [{ destination: { host: web, port: { number: 8080 } } }]`));
    // WHEN a request enters the gateway
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN there is no vhost and the reason says so
    expect(result.statusCode).toBe(404);
    expect(result.notes.join('\n')).toMatch(/has no routes on gateway istio-system\/ingress/);
  });
});

describe('§1.2 gateways binding', () => {
  test('§1.2 a match-level gateway not in the top-level list never sees the rule', () => {
    // GIVEN a VS bound only to mesh whose rule names the gateway at match level
    const sim = world(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: web }
spec:
  hosts: [shop.example.com]
  http:
  - match: [{ gateways: [istio-system/ingress] }]
    route: [{ destination: { host: web, port: { number: 8080 } } }]
`);
    // WHEN a request enters the gateway
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the VS is not indexed under the gateway: 404
    expect(result.outcome).toBe(RouteOutcome.NO_ROUTE);
  });

  test('§1.2 a bare gateway name resolves to the VS namespace, so `ingress` in ns web does not bind istio-system/ingress', () => {
    // GIVEN gateways: [ingress] in a VS of namespace web
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`).replace('gateways: [istio-system/ingress]', 'gateways: [ingress]'));
    // WHEN a request enters istio-system/ingress
    // THEN nothing is bound (404)
    expect(sim.route({ gateway: GW, host: 'shop.example.com' }).statusCode).toBe(404);
  });

  test('§1.4 a short host on a gateway VS expands to a cluster name and never matches an external Host', () => {
    // GIVEN a gateway VS with host `shop`
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`).replace('hosts: [shop.example.com]', 'hosts: [shop]'), `
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]`);
    // WHEN Host shop is sent
    const result = sim.route({ gateway: GW, host: 'shop' });
    // THEN only shop.web.svc.cluster.local exists as a vhost
    expect(result.statusCode).toBe(404);
    expect(result.reason).toMatch(/shop\.web\.svc\.cluster\.local/);
  });
});

describe('§1.7 merging on gateways', () => {
  test('§1.7 VSs for one host merge on a gateway, catch-alls moved last', () => {
    // GIVEN VS a (catch-all) and VS b (/api), both for shop.example.com
    const sim = world(
      vs('a', `
  - route: [{ destination: { host: web, subset: blue, port: { number: 8080 } } }]`)
      + vs('b', `
  - match: [{ uri: { prefix: /api } }]
    route: [{ destination: { host: web, port: { number: 9090 } } }]`));
    // WHEN /api/x and /home are requested
    const api = sim.route({ gateway: GW, host: 'shop.example.com', path: '/api/x' });
    const home = sim.route({ gateway: GW, host: 'shop.example.com', path: '/home' });
    // THEN b's rule runs before a's catch-all despite a being first
    expect(api.rule?.name).toBe('b');
    expect(api.destinations[0].port).toBe(9090);
    expect(home.rule?.name).toBe('a');
  });
});

describe('§6 Gateway servers', () => {
  test('§6 httpsRedirect answers plain HTTP with 301 to https', () => {
    // GIVEN a server with httpsRedirect
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`), `
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*.example.com"]
    tls: { httpsRedirect: true }`);
    // WHEN http://shop.example.com/cart is requested
    const result = sim.route({ gateway: GW, host: 'shop.example.com', path: '/cart' });
    // THEN the gateway redirects
    expect(result.outcome).toBe(RouteOutcome.REDIRECT);
    expect(result.statusCode).toBe(301);
    expect(result.redirectLocation).toBe('https://shop.example.com/cart');
  });

  test('§6 the Host header is matched case-insensitively and without port on gateways', () => {
    // GIVEN a VS for shop.example.com
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`));
    // WHEN the Host is SHOP.Example.com:80
    const result = sim.route({ gateway: GW, host: 'SHOP.Example.com:80' });
    // THEN the vhost is found and the raw authority is forwarded
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.authority).toBe('SHOP.Example.com:80');
  });

  test('§6 a server host `otherns/*` only lets VSs of otherns bind', () => {
    // GIVEN a server restricted to namespace otherns
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } } }]`), `
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["otherns/*"]`);
    // WHEN a request enters for the web VS host
    // THEN the VS in namespace web cannot bind
    expect(sim.route({ gateway: GW, host: 'shop.example.com' }).statusCode).toBe(404);
  });

  test('§6 a port without a server refuses the connection', () => {
    // GIVEN only port 80 servers
    const sim = world('');
    // WHEN port 8443 is used
    const result = sim.route({ gateway: GW, host: 'shop.example.com', port: 8443 });
    // THEN there is no listener
    expect(result.outcome).toBe(RouteOutcome.NO_LISTENER);
  });

  test('§6 HTTPS (SIMPLE) servers terminate TLS and route http rules with scheme https', () => {
    // GIVEN an HTTPS server and a rule matching scheme https
    const sim = world(vs('web', `
  - match: [{ scheme: { exact: https } }]
    route: [{ destination: { host: web, port: { number: 8080 } } }]`), `
  - port: { number: 443, name: https, protocol: HTTPS }
    hosts: ["*.example.com"]
    tls: { mode: SIMPLE, credentialName: shop-cert }`);
    // WHEN a request arrives on 443
    const result = sim.route({ gateway: GW, host: 'shop.example.com', port: 443 });
    // THEN it is routed
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
  });
});

describe('§2 destinations and weights', () => {
  test('§2 weights are relative: 1 and 3 become 25% and 75%', () => {
    // GIVEN weights 1 and 3
    const sim = world(vs('web', `
  - route:
    - { destination: { host: web, subset: blue, port: { number: 8080 } }, weight: 1 }
    - { destination: { host: web, port: { number: 8080 } }, weight: 3 }`));
    // WHEN a request enters
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the shares are normalized and sum to 100
    expect(result.destinations.map((d) => d.percentage)).toEqual([25, 75]);
  });

  test('§2 a single destination takes 100% whatever its weight', () => {
    // GIVEN one destination with weight 10
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, port: { number: 8080 } }, weight: 10 }]`));
    // WHEN a request enters
    // THEN it gets 100%
    expect(sim.route({ gateway: GW, host: 'shop.example.com' }).destinations[0].percentage).toBe(100);
  });

  test('§2 a missing subset gives 503 (cluster not found)', () => {
    // GIVEN a route to subset canary that no DestinationRule defines
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, subset: canary, port: { number: 8080 } } }]`));
    // WHEN a request enters
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the mesh answers 503 NC
    expect(result.outcome).toBe(RouteOutcome.NO_HEALTHY_UPSTREAM);
    expect(result.statusCode).toBe(503);
    expect(result.reason).toMatch(/subset 'canary'.*503 NC/);
  });

  test('§2 a subset selecting no pods gives 503 UH', () => {
    // GIVEN subset green defined but no green pods
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, subset: green, port: { number: 8080 } } }]`));
    // WHEN a request enters
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN no healthy upstream
    expect(result.statusCode).toBe(503);
    expect(result.reason).toMatch(/selects no pods.*503 UH/);
  });

  test('§2 a weighted split with one empty subset still routes but flags the failing share', () => {
    // GIVEN 90 blue / 10 green with no green pods
    const sim = world(vs('web', `
  - route:
    - { destination: { host: web, subset: blue, port: { number: 8080 } }, weight: 90 }
    - { destination: { host: web, subset: green, port: { number: 8080 } }, weight: 10 }`));
    // WHEN a request enters
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the result is routed, green is unhealthy and the note names the 10%
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.destinations.map((d) => d.healthy)).toEqual([true, false]);
    expect(result.notes.join('\n')).toMatch(/10% of requests fail with 503/);
  });

  test('§2 without destination.port a multi-port backend uses the gateway server port and fails (503)', () => {
    // GIVEN web has ports 8080 and 9090 and the destination omits the port
    const sim = world(vs('web', `
  - route: [{ destination: { host: web } }]`));
    // WHEN a request enters on port 80
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN istiod picks cluster port 80, which does not exist
    expect(result.statusCode).toBe(503);
    expect(result.destinations[0].port).toBe(80);
  });
});

describe('§5 DestinationRule lookup', () => {
  test('§5 a DR in the caller namespace shadows the service-namespace DR, including its subsets', () => {
    // GIVEN a DR for web.web in namespace istio-system (the gateway pod namespace) without subsets
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, subset: blue, port: { number: 8080 } } }]`) + `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web-tls, namespace: istio-system }
spec:
  host: web.web.svc.cluster.local
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }
`);
    // WHEN the gateway routes to subset blue
    const result = sim.route({ gateway: GW, host: 'shop.example.com' });
    // THEN the subset is not found (503)
    expect(result.statusCode).toBe(503);
    expect(result.reason).toMatch(/visible from namespace istio-system/);
  });

  test('§5 several DRs for one host merge, the first definition of a subset winning', () => {
    // GIVEN a second DR in ns web adding subset canary (labels version=blue)
    const sim = world(vs('web', `
  - route: [{ destination: { host: web, subset: canary, port: { number: 8080 } } }]`) + `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web-extra, namespace: web }
spec:
  host: web
  subsets: [{ name: canary, labels: { version: blue } }]
`);
    // WHEN the gateway routes to canary
    // THEN the merged subset is found and healthy
    expect(sim.route({ gateway: GW, host: 'shop.example.com' }).destinations[0].healthy).toBe(true);
  });
});

describe('§7 Kubernetes side', () => {
  test('§7 http rules do not apply on a port declared tcp: the request is routed as TCP (default route)', () => {
    // GIVEN a service port named tcp-api and a mesh VS with http rules
    const sim = world(`
apiVersion: v1
kind: Service
metadata: { name: api, namespace: web }
spec:
  selector: { app: web }
  ports: [{ name: tcp-api, port: 7000 }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: web }
spec:
  hosts: [api]
  http:
  - route: [{ destination: { host: web, port: { number: 8080 } } }]
`);
    // WHEN a pod sends HTTP to api:7000
    const result = sim.route({ sourceNamespace: 'web', host: 'api', port: 7000 });
    // THEN the TCP model applies and the service default route is used
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.destinations[0].host).toBe('api.web.svc.cluster.local');
    expect(result.notes.join('\n')).toMatch(/http rules do not apply/);
  });

  test('§7 a Service selector that includes version leaves other subsets empty (503 UH)', () => {
    // GIVEN a Service selecting only version blue, and a green pod
    const sim = world(`
apiVersion: v1
kind: Service
metadata: { name: pinned, namespace: web }
spec:
  selector: { app: web, version: blue }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-green, namespace: web }
spec:
  template: { metadata: { labels: { app: web, version: green } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: pinned, namespace: web }
spec:
  host: pinned
  subsets: [{ name: green, labels: { version: green } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: pinned, namespace: web }
spec:
  hosts: [pinned]
  http:
  - route: [{ destination: { host: pinned, subset: green } }]
`);
    // WHEN a pod calls pinned
    const result = sim.route({ sourceNamespace: 'web', host: 'pinned' });
    // THEN subset green has no endpoints behind the Service
    expect(result.statusCode).toBe(503);
    expect(result.reason).toMatch(/503 UH/);
  });

  test('§7 a Deployment with replicas: 0 provides no endpoints', () => {
    // GIVEN the only web Deployment scaled to zero
    const scaled = new RouteSimulator([
      ...parseAllDocuments(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ingress, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: web }
spec: { selector: { app: web }, ports: [{ name: http, port: 8080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: web }
spec: { replicas: 0, template: { metadata: { labels: { app: web } } } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: web }
spec:
  hosts: ["*"]
  gateways: [istio-system/ingress]
  http: [{ route: [{ destination: { host: web } }] }]
`).map((d) => d.toJS()),
    ]);
    // WHEN a request enters
    const result = scaled.route({ gateway: GW, host: 'anything.example.com' });
    // THEN there is no healthy upstream
    expect(result.outcome).toBe(RouteOutcome.NO_HEALTHY_UPSTREAM);
  });
});

describe('§3 TCP on gateways', () => {
  test('§3 on a TCP gateway server only port and gateways are evaluated; sourceLabels are ignored', () => {
    // GIVEN a TCP server on 31400 and a tcp rule with sourceLabels the gateway pod lacks
    const sim = world(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: tcp, namespace: web }
spec:
  hosts: ["*"]
  gateways: [istio-system/ingress]
  tcp:
  - match: [{ port: 31400, sourceLabels: { app: nobody } }]
    route: [{ destination: { host: web, port: { number: 9090 } } }]
`, `
  - port: { number: 31400, name: tcp, protocol: TCP }
    hosts: ["*"]`);
    // WHEN a TCP connection enters on 31400
    const result = sim.route({ gateway: GW, host: 'anything', port: 31400, protocol: RequestProtocol.TCP });
    // THEN the rule decides anyway
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.rule?.kind).toBe(RuleKind.TCP);
    expect(result.destinations[0].port).toBe(9090);
  });

  test('§3 on sidecars a tcp match requires port AND sourceLabels together', () => {
    // GIVEN a mesh tcp rule requiring port 9090 and label team=a
    const sim = world(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web-tcp, namespace: web }
spec:
  hosts: [web]
  tcp:
  - match: [{ port: 9090, sourceLabels: { team: a } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 9090 } } }]
`);
    // WHEN team=a and team=b pods connect to web:9090
    const a = sim.route({ sourceNamespace: 'web', sourceLabels: { team: 'a' }, host: 'web', port: 9090, protocol: RequestProtocol.TCP });
    const b = sim.route({ sourceNamespace: 'web', sourceLabels: { team: 'b' }, host: 'web', port: 9090, protocol: RequestProtocol.TCP });
    // THEN only team=a gets the subset
    expect(a.destinations[0].subset).toBe('blue');
    expect(b.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });
});
