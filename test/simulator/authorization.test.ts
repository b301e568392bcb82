import { parseAllDocuments } from 'yaml';
import { RequestProtocol, RouteOutcome, RouteSimulator } from '../../src';

/**
 * The route simulator authorizes a routed request at the pods it reaches, the way their sidecars
 * enforce AuthorizationPolicies after routing (semantics in src/semantics/authorization.ts).
 */
const load = (...texts: string[]) => new RouteSimulator(parseAllDocuments(texts.join('\n---\n')).map((d) => d.toJS()).filter((d) => d));

const SHOP = `
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }, { name: tcp-db, port: 5432 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v1, namespace: shop }
spec: { template: { metadata: { labels: { app: api, version: v1 } }, spec: { serviceAccountName: api } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v2, namespace: shop }
spec: { template: { metadata: { labels: { app: api, version: v2 } }, spec: { serviceAccountName: api } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { template: { metadata: { labels: { app: web } }, spec: { serviceAccountName: web } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: edge, namespace: edge }
spec: { template: { metadata: { labels: { istio: edge } }, spec: { serviceAccountName: edge-gateway } } }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: edge }
spec: { selector: { istio: edge }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec:
  hosts: [api.example.com]
  gateways: [edge/public]
  http: [{ route: [{ destination: { host: api, port: { number: 80 } } }] }]
`;

const policy = (name: string, spec: string, annotations = '') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: shop${annotations} }
spec:
${spec}`;

const ONLY_WEB = policy('api', `  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { principals: [cluster.local/ns/shop/sa/web] } }] }]`);

describe('authorization at the called pods', () => {
  test('without AuthorizationPolicies results are unchanged (no notes added)', () => {
    const result = load(SHOP).route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' });
    expect(result).toMatchObject({ outcome: RouteOutcome.DEFAULT_ROUTE, statusCode: 200, notes: [] });
  });

  test('the caller identity comes from the workload carrying its labels; an explicit service account overrides it', () => {
    const sim = load(SHOP, ONLY_WEB);
    expect(sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' }).statusCode).toBe(200);
    const other = sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, sourceServiceAccount: 'batch', host: 'api' });
    expect(other).toMatchObject({ outcome: RouteOutcome.FORBIDDEN, statusCode: 403, deniedBy: ['shop/api'] });
    expect(other.reason).toBe('RBAC: access denied for cluster.local/ns/shop/sa/batch at api.shop.svc.cluster.local (ALLOW policy shop/api applies to the workload and does not match the request from cluster.local/ns/shop/sa/batch); 403');
  });

  test('a gateway request carries the identity of the gateway workload in the manifests', () => {
    // GIVEN a policy admitting the edge gateway's service account
    const sim = load(SHOP, policy('api', `  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { principals: [cluster.local/ns/edge/sa/edge-gateway] } }] }]`));

    // WHEN / THEN the gateway gets through, a mesh pod does not
    expect(sim.route({ gateway: 'edge/public', host: 'api.example.com' }).outcome).toBe(RouteOutcome.ROUTED);
    expect(sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' }).outcome).toBe(RouteOutcome.FORBIDDEN);
  });

  test('DENY policies decide on the upstream path and method', () => {
    const sim = load(SHOP, policy('no-admin', `  action: DENY
  rules: [{ to: [{ operation: { paths: ['/admin/*'], methods: [DELETE] } }] }]`));
    const from = { sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' };
    expect(sim.route({ ...from, path: '/admin/users', method: 'DELETE' })).toMatchObject({ outcome: RouteOutcome.FORBIDDEN, deniedBy: ['shop/no-admin'] });
    expect(sim.route({ ...from, path: '/admin/users' }).outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });

  test('pods behind one destination may disagree: the denied share is a note, not the outcome', () => {
    // GIVEN only v1 pods restricted
    const sim = load(SHOP, policy('api-v1', `  selector: { matchLabels: { app: api, version: v1 } }
  rules: [{ from: [{ source: { namespaces: [ops] } }] }]`));

    // WHEN
    const result = sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' });

    // THEN
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.notes).toContain('requests to api.shop.svc.cluster.local that reach pods labelled app=api, version=v1 get 403 (ALLOW policy shop/api-v1 applies to the workload and does not match the request from cluster.local/ns/shop/sa/web); pods labelled app=api, version=v2 allow them');
  });

  test('a weighted split with one denying subset keeps its outcome and gives the denied share', () => {
    // GIVEN a mesh route splitting api 50/50 over v1 and v2, and v1 pods admitting namespace ops only
    const sim = load(SHOP, `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec: { host: api, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api-mesh, namespace: shop }
spec:
  hosts: [api]
  http: [{ route: [{ destination: { host: api, subset: v1, port: { number: 80 } }, weight: 50 }, { destination: { host: api, subset: v2, port: { number: 80 } }, weight: 50 }] }]`,
    policy('api-v1', `  selector: { matchLabels: { version: v1 } }
  rules: [{ from: [{ source: { namespaces: [ops] } }] }]`));

    // WHEN
    const result = sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' });

    // THEN
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.notes).toContain('50% of requests go to subset v1 of api.shop.svc.cluster.local, which denies cluster.local/ns/shop/sa/web with 403: ALLOW policy shop/api-v1 applies to the workload and does not match the request from cluster.local/ns/shop/sa/web');
  });

  test('a port with mTLS DISABLE receives plain text from sidecars too, so an identity allow-list denies it (endpoints/mtls_checker.go)', () => {
    // GIVEN port 5432 of the api pods is plain text only
    const sim = load(SHOP, ONLY_WEB, `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: api, namespace: shop }
spec: { selector: { matchLabels: { app: api } }, mtls: { mode: STRICT }, portLevelMtls: { 5432: { mode: DISABLE } } }`);
    const from = { sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' };

    // WHEN / THEN the web pod is admitted over mTLS on 80 (target port 8080) but not on 5432
    expect(sim.route(from).statusCode).toBe(200);
    const db = sim.route({ ...from, port: 5432, protocol: RequestProtocol.TCP });
    expect(db).toMatchObject({ outcome: RouteOutcome.FORBIDDEN, statusCode: 0 });
    expect(db.reason).toMatch(/the request carries no mTLS identity/);
    expect(db.notes).toContain('port 5432 of api.shop.svc.cluster.local has mutual TLS DISABLE, so the caller\'s sidecar sends plain text without an identity');
  });

  test('policy ports are workload ports: `to.ports: [8080]` matches requests to service port 80', () => {
    const sim = load(SHOP, policy('api', '  rules: [{ to: [{ operation: { ports: [\'8080\'] } }] }]'));
    expect(sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api' }).statusCode).toBe(200);
    expect(sim.route({ sourceNamespace: 'shop', sourceLabels: { app: 'web' }, host: 'api', port: 5432, protocol: RequestProtocol.TCP }).outcome).toBe(RouteOutcome.FORBIDDEN);
  });

  test('a caller without labels is taken to run as its namespace\'s default service account, and the note says so', () => {
    const sim = load(SHOP, ONLY_WEB);
    const result = sim.route({ sourceNamespace: 'shop', sourceLabels: {}, host: 'api' });
    expect(result.outcome).toBe(RouteOutcome.FORBIDDEN);
    expect(result.notes).toContain('the caller is taken to run as shop/default (give sourceServiceAccount)');
  });
});
