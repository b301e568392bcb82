import { RequestProtocol, RouteOutcome, RouteSimulator, TrafficAnalyzer, TrafficPlan } from '../../src';

/**
 * The simulator on Gateway API objects, as Istio 1.30 programs them (docs/gateway-api-semantics.md
 * §2.5, §3.2; the cases follow the reference's simulator model and Gateway API conformance tests).
 */

const G = 'gateway.networking.k8s.io';

function service(name: string, namespace = 'shop', labels: Record<string, string> = {}, port = 80): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { selector: { app: name }, ports: [{ name: 'http', port }] } };
}

function deployment(name: string, namespace = 'shop', replicas = 1): any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { replicas, template: { metadata: { labels: { app: name } } } } };
}

function gateway(listeners: any[], extra: any = {}): any {
  return { apiVersion: `${G}/v1`, kind: 'Gateway', metadata: { name: 'public', namespace: 'shop', ...extra }, spec: { gatewayClassName: 'istio', listeners } };
}

function route(name: string, spec: any, meta: any = {}): any {
  return { apiVersion: `${G}/v1`, kind: 'HTTPRoute', metadata: { name, namespace: 'shop', ...meta }, spec };
}

const BACKENDS = ['a', 'b', 'c', 'd', 'e'].flatMap((n) => [service(n), deployment(n)]);
const HTTP_LISTENER = { name: 'http', port: 80, protocol: 'HTTP' };
const to = (name: string, extra: any = {}) => ({ backendRefs: [{ name, port: 80, ...extra }] });

function through(objects: any[], request: any) {
  return new RouteSimulator([...BACKENDS, ...objects]).route({ gateway: 'shop/public', port: 80, host: 'shop.example.com', ...request });
}

function hosts(result: any): string[] {
  return result.destinations.map((d: any) => `${d.host.split('.')[0]} ${d.percentage}`);
}

describe('Gateway API through a Gateway', () => {
  test('rules are tried by precedence, not by position: exact, longest prefix, method, most headers, most query parameters', () => {
    // GIVEN one route whose rules are written in the reverse of Istio's order
    const r = route('r', {
      parentRefs: [{ name: 'public' }],
      rules: [
        { matches: [{ path: { type: 'RegularExpression', value: '/api/.*' } }], ...to('e') },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, queryParams: [{ name: 'q', value: '1' }] }], ...to('d') },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x', value: '1' }] }], ...to('c') },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' }, method: 'POST' }], ...to('b') },
        { matches: [{ path: { type: 'PathPrefix', value: '/api/v1' } }, { path: { type: 'Exact', value: '/api' } }], ...to('a') },
      ],
    });
    // WHEN requests match several rules THEN the highest-ranked one decides
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api' }))).toEqual(['a 100']);
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api/v1/x', method: 'POST' }))).toEqual(['a 100']);
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api/x', method: 'POST', headers: { x: '1' } }))).toEqual(['b 100']);
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api/x?q=1', headers: { x: '1' } }))).toEqual(['c 100']);
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api/x?q=1' }))).toEqual(['d 100']);
    // the regular expression, written first, ranks below every PathPrefix; /api never takes /apis
    expect(hosts(through([gateway([HTTP_LISTENER]), r], { path: '/api/x' }))).toEqual(['e 100']);
    expect(through([gateway([HTTP_LISTENER]), r], { path: '/apis/x' }).outcome).toBe(RouteOutcome.NO_ROUTE);
    const deciding = through([gateway([HTTP_LISTENER]), r], { path: '/api' }).rule;
    expect(deciding).toEqual({ resourceKind: 'HTTPRoute', namespace: 'shop', name: 'r', kind: 'http', ruleIndex: 4, matchIndex: 1 });
  });

  test('equal precedence across routes: the older route wins, then the name', () => {
    // GIVEN two routes with the same match, the later-named one created first
    const older = route('zeta', { parentRefs: [{ name: 'public' }], rules: [to('b')] }, { creationTimestamp: '2024-01-01T00:00:00Z' });
    const newer = route('alpha', { parentRefs: [{ name: 'public' }], rules: [to('a')] }, { creationTimestamp: '2024-02-01T00:00:00Z' });
    // THEN the older wins; without timestamps the name decides
    expect(hosts(through([gateway([HTTP_LISTENER]), older, newer], {}))).toEqual(['b 100']);
    const untimed = [older, newer].map((o) => ({ ...o, metadata: { ...o.metadata, creationTimestamp: undefined } }));
    expect(hosts(through([gateway([HTTP_LISTENER]), ...untimed], {}))).toEqual(['a 100']);
  });

  test('listener hostnames intersect route hostnames; no fall-through to a less specific hostname', () => {
    // GIVEN a wildcard listener, a route for one host with a narrow rule, and a hostname-less route
    const gw = gateway([{ ...HTTP_LISTENER, hostname: '*.example.com' }]);
    const specific = route('specific', { parentRefs: [{ name: 'public' }], hostnames: ['shop.example.com'], rules: [{ matches: [{ path: { type: 'Exact', value: '/x' } }], ...to('a') }] });
    const any = route('any', { parentRefs: [{ name: 'public' }], rules: [to('b')] });
    // THEN the specific host's unmatched path is 404, other hosts below the wildcard reach the route without hostnames
    expect(hosts(through([gw, specific, any], { path: '/x' }))).toEqual(['a 100']);
    expect(through([gw, specific, any], { path: '/y' }).statusCode).toBe(404);
    expect(hosts(through([gw, specific, any], { host: 'other.example.com' }))).toEqual(['b 100']);
    expect(through([gw, specific, any], { host: 'example.com' }).outcome).toBe(RouteOutcome.NO_ROUTE);
    // AND a route whose hostnames the listener does not accept is not attached
    const foreign = route('foreign', { parentRefs: [{ name: 'public' }], hostnames: ['shop.other.org'], rules: [to('a')] });
    expect(through([gw, foreign], { host: 'shop.other.org' }).reason).toMatch(/virtual hosts: none/);
  });

  test('sectionName, port and allowedRoutes decide which listeners take a route', () => {
    const listeners = [HTTP_LISTENER, { name: 'admin', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }];
    const onAdmin = route('admin', { parentRefs: [{ name: 'public', namespace: 'shop', sectionName: 'admin' }], rules: [to('a')] }, { namespace: 'ops' });
    const onPort80 = route('web', { parentRefs: [{ name: 'public', port: 80 }], rules: [to('b')] });
    const objects = [gateway(listeners), onAdmin, onPort80, service('a', 'ops'), deployment('a', 'ops')];
    // THEN each route answers on its listener only; a route from another namespace needs allowedRoutes
    expect(hosts(through(objects, { port: 8080 }))).toEqual(['a 100']);
    expect(hosts(through(objects, { port: 80 }))).toEqual(['b 100']);
    const denied = route('sneaky', { parentRefs: [{ name: 'public', namespace: 'shop', sectionName: 'http' }], rules: [to('a')] }, { namespace: 'ops' });
    expect(through([gateway([HTTP_LISTENER]), denied], {}).statusCode).toBe(404);
  });

  test('HTTPS listeners are chosen by SNI and plain HTTP is redirected by a RequestRedirect route', () => {
    const gw = gateway([
      { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' },
    ]);
    const redirect = route('redirect', { parentRefs: [{ name: 'public', sectionName: 'http' }], rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }] });
    const main = route('main', { parentRefs: [{ name: 'public', sectionName: 'https' }], rules: [to('a')] });
    const plain = through([gw, redirect, main], { path: '/x?y=1' });
    expect(plain).toMatchObject({ outcome: RouteOutcome.REDIRECT, statusCode: 301, redirectLocation: 'https://shop.example.com/x?y=1' });
    expect(hosts(through([gw, redirect, main], { port: 443 }))).toEqual(['a 100']);
    expect(through([gw, redirect, main], { port: 443, host: 'other.example.com' }).outcome).toBe(RouteOutcome.NO_LISTENER);
  });

  test('URLRewrite replaces prefixes by whole segments and full paths; header modifiers change what is sent', () => {
    const r = route('r', {
      parentRefs: [{ name: 'public' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/v1' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }], ...to('a') },
        { matches: [{ path: { type: 'PathPrefix', value: '/old/' } }], filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'new.example.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } }], ...to('b') },
        { matches: [{ path: { type: 'Exact', value: '/full' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/one' } } }], ...to('c') },
        {
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Env', value: 'prod' }], add: [{ name: 'x-tag', value: 't2' }], remove: ['x-drop'] } }],
          ...to('d'),
        },
      ],
    });
    const gw = gateway([HTTP_LISTENER]);
    expect(through([gw, r], { path: '/v1/users?q=1' }).path).toBe('/users?q=1');
    expect(through([gw, r], { path: '/v1' }).path).toBe('/');
    expect(through([gw, r], { path: '/old/x' })).toMatchObject({ path: '/new/x', authority: 'new.example.com' });
    expect(through([gw, r], { path: '/full' }).path).toBe('/one');
    expect(through([gw, r], { path: '/else', headers: { 'x-tag': 't1', 'x-drop': '1' } }).requestHeaders).toEqual({ 'x-env': 'prod', 'x-tag': 't1,t2' });
  });

  test('weights are relative, weight 0 takes nothing, and mirrors keep their percent', () => {
    const r = route('r', {
      parentRefs: [{ name: 'public' }],
      rules: [
        { matches: [{ path: { type: 'Exact', value: '/zero' } }], backendRefs: [{ name: 'a', port: 80, weight: 0 }] },
        { matches: [{ path: { type: 'Exact', value: '/one' } }], backendRefs: [{ name: 'a', port: 80, weight: 0 }, { name: 'b', port: 80, weight: 5 }] },
        {
          backendRefs: [{ name: 'a', port: 80, weight: 3 }, { name: 'b', port: 80, weight: 1 }],
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'c', port: 80 }, percent: 25 } }],
        },
      ],
    });
    const gw = gateway([HTTP_LISTENER]);
    expect(through([gw, r], { path: '/zero' })).toMatchObject({ outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: 500 });
    expect(hosts(through([gw, r], { path: '/one' }))).toEqual(['b 100']);
    const split = through([gw, r], { path: '/x' });
    expect(hosts(split)).toEqual(['a 75', 'b 25']);
    expect(split.mirrors.map((m) => `${m.host.split('.')[0]} ${m.percentage}`)).toEqual(['c 25']);
  });

  test('unresolved backends answer 500, backends without ready pods 503, rules without backends 404', () => {
    const grantless = route('r', {
      parentRefs: [{ name: 'public' }],
      rules: [
        { matches: [{ path: { type: 'Exact', value: '/missing' } }], ...to('nope') },
        { matches: [{ path: { type: 'Exact', value: '/foreign' } }], ...to('a', { namespace: 'ops' }) },
        { matches: [{ path: { type: 'Exact', value: '/idle' } }], ...to('idle') },
        { matches: [{ path: { type: 'Exact', value: '/nothing' } }] },
      ],
    });
    const objects = [gateway([HTTP_LISTENER]), grantless, service('a', 'ops'), deployment('a', 'ops'), service('idle'), deployment('idle', 'shop', 0)];
    expect(through(objects, { path: '/missing' })).toMatchObject({ outcome: RouteOutcome.INVALID_BACKEND, statusCode: 500 });
    expect(through(objects, { path: '/foreign' }).reason).toMatch(/no ReferenceGrant in ops/);
    expect(through(objects, { path: '/idle' })).toMatchObject({ outcome: RouteOutcome.NO_HEALTHY_UPSTREAM, statusCode: 503 });
    expect(through(objects, { path: '/nothing' })).toMatchObject({ outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: 404 });
    // WHEN a ReferenceGrant in the backend's namespace admits HTTPRoutes from shop THEN the backend resolves
    const grant = {
      apiVersion: `${G}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace: 'ops' },
      spec: { from: [{ group: G, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
    };
    expect(hosts(through([...objects, grant], { path: '/foreign' }))).toEqual(['a 100']);
  });

  test('GRPCRoutes share the table and match methods as paths; TCPRoutes take a TCP listener', () => {
    const grpc = {
      apiVersion: `${G}/v1`,
      kind: 'GRPCRoute',
      metadata: { name: 'g', namespace: 'shop' },
      spec: { parentRefs: [{ name: 'public' }], rules: [{ matches: [{ method: { service: 'pkg.Cart', method: 'Add' } }], ...to('a') }, { matches: [{ method: { service: 'pkg.Cart' } }], ...to('b') }] },
    };
    const tcp = { apiVersion: `${G}/v1alpha2`, kind: 'TCPRoute', metadata: { name: 't', namespace: 'shop' }, spec: { parentRefs: [{ name: 'public', sectionName: 'db' }], rules: [{ backendRefs: [{ name: 'c', port: 80 }] }] } };
    const gw = gateway([HTTP_LISTENER, { name: 'db', port: 5432, protocol: 'TCP' }]);
    expect(hosts(through([gw, grpc], { path: '/pkg.Cart/Add', method: 'POST' }))).toEqual(['a 100']);
    expect(hosts(through([gw, grpc], { path: '/pkg.Cart/Remove', method: 'POST' }))).toEqual(['b 100']);
    expect(through([gw, grpc], { path: '/pkg.Other/Add' }).statusCode).toBe(404);
    const tcpResult = through([gw, tcp], { port: 5432, protocol: RequestProtocol.TCP });
    expect(hosts(tcpResult)).toEqual(['c 100']);
    expect(tcpResult.rule?.resourceKind).toBe('TCPRoute');
  });

  test('a Gateway of another class is not programmed by istiod', () => {
    const other = { ...gateway([HTTP_LISTENER]), spec: { gatewayClassName: 'nginx', listeners: [HTTP_LISTENER] } };
    const r = route('r', { parentRefs: [{ name: 'public' }], rules: [to('a')] });
    expect(through([other, r], {})).toMatchObject({ outcome: RouteOutcome.NO_LISTENER, statusCode: 0 });
  });

  test('routes Istio drops do nothing: an unsupported filter, a parent with the default group for a Service', () => {
    const badFilter = route('r', { parentRefs: [{ name: 'public' }], rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'Y', name: 'z' } }], ...to('a') }] });
    const dropped = through([gateway([HTTP_LISTENER]), badFilter], {});
    expect(dropped.statusCode).toBe(404);
    expect(dropped.notes.join('\n')).toMatch(/dropped by istiod: rules\[0\] uses filter 'ExtensionRef'/);
  });
});

describe('Gateway API routes for mesh callers (GAMMA)', () => {
  const web = [service('web'), deployment('web'), service('web-v2'), { ...deployment('web-v2'), spec: { template: { metadata: { labels: { app: 'web-v2' } } } } }];
  const meshRoute = route('web-mesh', {
    parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }],
    rules: [{ matches: [{ headers: [{ name: 'x-version', value: 'v2' }] }], ...to('web-v2') }, { matches: [], ...to('web') }],
  });

  test('a producer route applies to every sidecar caller; without a match the Service is not reached by default', () => {
    const sim = new RouteSimulator([...web, meshRoute]);
    const v2 = sim.route({ sourceNamespace: 'other', host: 'web.shop', headers: { 'x-version': 'v2' } });
    expect(hosts(v2)).toEqual(['web-v2 100']);
    expect(v2.rule).toMatchObject({ resourceKind: 'HTTPRoute', name: 'web-mesh', ruleIndex: 0 });
    expect(hosts(sim.route({ sourceNamespace: 'shop', host: 'web' }))).toEqual(['web 100']);
  });

  test('a consumer route in the caller namespace overrides the producer route for that namespace only', () => {
    const consumer = route('web-for-qa', { parentRefs: [{ group: '', kind: 'Service', name: 'web', namespace: 'shop' }], rules: [to('web-v2', { namespace: 'shop' })] }, { namespace: 'qa' });
    const sim = new RouteSimulator([...web, meshRoute, consumer]);
    expect(hosts(sim.route({ sourceNamespace: 'qa', host: 'web.shop' }))).toEqual(['web-v2 100']);
    expect(hosts(sim.route({ sourceNamespace: 'other', host: 'web.shop' }))).toEqual(['web 100']);
  });

  test('a parentRef to a Service without group "" is ignored', () => {
    const wrong = route('wrong', { parentRefs: [{ kind: 'Service', name: 'web' }], rules: [to('web-v2')] });
    const result = new RouteSimulator([...web, wrong]).route({ sourceNamespace: 'shop', host: 'web' });
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });

  test('ambient callers reach the routes only through the Service waypoint', () => {
    const ns = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const waypoint = {
      apiVersion: `${G}/v1`,
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    };
    const ambient = [ns('shop', { 'istio.io/dataplane-mode': 'ambient' }), ns('client', { 'istio.io/dataplane-mode': 'ambient' }), waypoint];
    const request = { sourceNamespace: 'client', host: 'web.shop', headers: { 'x-version': 'v2' } };
    // GIVEN no istio.io/use-waypoint label THEN the routes do nothing for ambient callers
    const ignored = new RouteSimulator([...web, meshRoute, ...ambient]).route(request);
    expect(ignored.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(ignored.reason).toMatch(/uses no waypoint/);
    // WHEN the Service uses the waypoint THEN the waypoint applies them
    const labelled = [service('web', 'shop', { 'istio.io/use-waypoint': 'waypoint' }), ...web.slice(1)];
    const routed = new RouteSimulator([...labelled, meshRoute, ...ambient]).route(request);
    expect(hosts(routed)).toEqual(['web-v2 100']);
    expect(routed.notes.join('\n')).toMatch(/waypoint shop\/waypoint applies the routes/);
    // AND a waypoint for workload traffic only does not apply Service routes
    const workloadOnly = { ...waypoint, metadata: { ...waypoint.metadata, labels: { 'istio.io/waypoint-for': 'workload' } } };
    const bypassed = new RouteSimulator([...labelled, meshRoute, ambient[0], ambient[1], workloadOnly]).route(request);
    expect(bypassed.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(bypassed.reason).toMatch(/is for 'workload' traffic/);
    // AND sidecar callers (a namespace that is not ambient) apply the routes themselves
    expect(hosts(new RouteSimulator([...web, meshRoute, ambient[0]]).route({ ...request, sourceNamespace: 'sidecars' }))).toEqual(['web-v2 100']);
  });

  test('a mesh TCPRoute splits connections by weight', () => {
    const db = [service('db', 'shop', {}, 5432), deployment('db'), service('db-v2', 'shop', {}, 5432), deployment('db-v2')];
    const tcp = {
      apiVersion: `${G}/v1alpha2`,
      kind: 'TCPRoute',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'db', port: 5432 }], rules: [{ backendRefs: [{ name: 'db', port: 5432, weight: 90 }, { name: 'db-v2', port: 5432, weight: 10 }] }] },
    };
    const result = new RouteSimulator([...db, tcp]).route({ sourceNamespace: 'shop', host: 'db', port: 5432, protocol: RequestProtocol.TCP });
    expect(hosts(result)).toEqual(['db 90', 'db-v2 10']);
  });
});

describe('scale', () => {
  test('simulate, check and plan stay linear: 2000 Services with mesh and gateway routes take well under a few seconds', () => {
    // GIVEN 2000 releases, each with a version Service, a mesh route and a gateway route with its own hostname
    const objects: any[] = [gateway([{ ...HTTP_LISTENER, hostname: '*.example.com' }])];
    for (let i = 0; i < 2000; i++) {
      objects.push(service(`s${i}`), service(`s${i}-v1`), deployment(`s${i}-v1`));
      objects.push(route(`s${i}-mesh`, { parentRefs: [{ group: '', kind: 'Service', name: `s${i}`, port: 80 }], rules: [{ matches: [{ headers: [{ name: 'x', value: '1' }] }], ...to(`s${i}-v1`) }, { matches: [], ...to(`s${i}`) }] }));
      objects.push(route(`s${i}-ingress`, { parentRefs: [{ name: 'public' }], hostnames: [`s${i}.example.com`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/v1' } }], ...to(`s${i}-v1`) }, { matches: [], ...to(`s${i}`) }] }));
    }
    // WHEN every tool runs over them
    const started = Date.now();
    const sim = new RouteSimulator(objects);
    for (let i = 0; i < 2000; i += 10) {
      expect(hosts(sim.route({ gateway: 'shop/public', port: 80, host: `s${i}.example.com`, path: '/v1/x' }))).toEqual([`s${i}-v1 100`]);
      expect(hosts(sim.route({ sourceNamespace: 'shop', host: `s${i}`, headers: { x: '1' } }))).toEqual([`s${i}-v1 100`]);
    }
    const findings = TrafficAnalyzer.analyze(objects);
    const plan = TrafficPlan.fromManifests(objects);
    const elapsed = Date.now() - started;
    // THEN the answers are right and the whole run is fast (a quadratic step would take minutes)
    expect(findings).toEqual([]);
    expect(plan.routeTables.filter((t) => t.rules[0]?.resourceKind === 'HTTPRoute')).toHaveLength(4000);
    expect(elapsed).toBeLessThan(15000);
  });
});
