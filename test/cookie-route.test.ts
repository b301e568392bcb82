import { Chart, Testing } from 'cdk8s';
import { BlueGreen, Canary, CookieRoute, CookieRouteProps, PathRoute, PathRouteProps, PortProtocol, RequestMatch, RouteEntryPoint } from '../src';
import { manifestsOf, route } from './routing';

function webEcho(): { chart: Chart; release: BlueGreen } {
  const chart = Testing.chart();
  const release = new BlueGreen(chart, 'echo', {
    serviceName: 'echo',
    namespace: 'demo',
    ports: [{ port: 8600, targetPort: 5678, protocol: PortProtocol.HTTP }],
    hosts: ['echo.example.com'],
    versions: [{ name: 'v1' }, { name: 'v2' }],
    activeVersion: 'v1',
  });
  return { chart, release };
}

const external = (path: string, cookie?: string) => ({ gateway: 'demo/echo-gateway', host: 'echo.example.com', path, headers: cookie !== undefined ? { cookie } : undefined });

describe('cookie opt-in', () => {
  test.each([
    ['x-version=v2', 'v2'],
    ['a=1; x-version=v2', 'v2'],
    ['a=1;x-version=v2', 'v2'],
    ['x-version=v2;a=1', 'v2'],
    ['a=1;  x-version=v2; b=2', 'v2'],
    ['xx-version=v2', 'v1'],
    ['x-version=v22', 'v1'],
    ['my-x-version=v2', 'v1'],
    ['b=x-version=v2', 'v1'],
    ['x-version=v1', 'v1'],
  ])('cookie header %p reaches %s', (cookie, version) => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });
    expect(route(chart, external('/', cookie)).to).toEqual({ [version]: 100 });
  });

  test('names and values are escaped', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'beta.user', cookieValue: 'v2.1' });
    expect(route(chart, external('/', 'beta.user=v2.1')).to).toEqual({ v2: 100 });
    expect(route(chart, external('/', 'betaxuser=v2x1')).to).toEqual({ v1: 100 });
  });

  test('without a cookie the active version answers', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });
    expect(route(chart, external('/')).to).toEqual({ v1: 100 });
  });
});

describe('path routes (prefixes matched by whole segments)', () => {
  const prefixed = () => {
    const { chart, release } = webEcho();
    new PathRoute(chart, 'v1', { release, version: 'v1', pathPrefix: '/v1', rewritePrefix: '/' });
    new PathRoute(chart, 'v2', { release, version: 'v2', pathPrefix: '/v2', rewritePrefix: '/' });
    return chart;
  };

  test.each([
    ['/v1', 'v1', '/'],
    ['/v1/', 'v1', '/'],
    ['/v1/users', 'v1', '/users'],
    ['/v2/users?page=2', 'v2', '/users?page=2'],
    ['/v2', 'v2', '/'],
    ['/v10', 'v1', '/v10'],
    ['/v2x/users', 'v1', '/v2x/users'],
  ])('%s reaches %s as %s', (path, version, rewritten) => {
    expect(route(prefixed(), external(path))).toEqual({ status: 200, to: { [version]: 100 }, path: rewritten });
  });

  test('a rewrite without a trailing slash keeps one slash between segments', () => {
    const { chart, release } = webEcho();
    new PathRoute(chart, 'api', { release, version: 'v2', pathPrefix: '/v2', rewritePrefix: '/api' });
    expect(route(chart, external('/v2/users')).path).toBe('/api/users');
    expect(route(chart, external('/v2')).path).toBe('/api');
  });

  test('cookie and prefix together require both', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'both', { release, version: 'v2', pathPrefix: '/beta', cookieName: 'x-version' });
    expect(route(chart, external('/beta/x', 'x-version=v2')).to).toEqual({ v2: 100 });
    expect(route(chart, external('/beta/x')).to).toEqual({ v1: 100 });
  });
});

describe('composition', () => {
  test('a canary with a QA cookie opt-in stays one VirtualService per host set, most specific first', () => {
    // GIVEN
    const chart = Testing.chart();
    const canary = new Canary(chart, 'api', {
      serviceName: 'api',
      namespace: 'demo',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: ['api.example.com'],
      stable: { name: 'v1' },
      canary: { name: 'v2' },
      canaryWeight: 10,
      match: [RequestMatch.uriPrefix('/api')],
    });

    // WHEN
    new CookieRoute(chart, 'qa', { release: canary, version: 'v2', cookieName: 'qa' });

    // THEN
    const services = manifestsOf(chart, 'VirtualService');
    expect(services.map((vs) => vs.metadata.name)).toEqual(['api-mesh', 'api-ingress']);
    const request = (path: string, cookie?: string) => route(chart, { gateway: 'demo/api-gateway', host: 'api.example.com', path, headers: cookie ? { cookie } : undefined }).to;
    expect(request('/api/x', 'qa=v2')).toEqual({ v2: 100 });
    expect(request('/api/x')).toEqual({ v1: 90, v2: 10 });
    expect(request('/home')).toEqual({ v1: 100 });
  });

  test('fails when a route can never match, naming both rules', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'first', { release, version: 'v2', cookieName: 'x-version' });
    expect(() => new CookieRoute(chart, 'second', { release, version: 'v1', cookieName: 'x-version', cookieValue: 'v2' })).toThrow(/test\/second: route 'cookie x-version=v2 -> v1' can never match: every request it matches is already taken by 'cookie x-version=v2 -> v2' \(test\/first\)/);
  });
});

describe('bad input', () => {
  const make = (props: Partial<CookieRouteProps>) => () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'r', { release, version: 'v2', cookieName: 'x-version', ...props });
  };
  const makePath = (props: Partial<PathRouteProps>) => () => {
    const { chart, release } = webEcho();
    new PathRoute(chart, 'r', { release, version: 'v2', pathPrefix: '/v2', ...props });
  };
  test('fails on an unknown version', () => {
    expect(make({ version: 'v3', cookieName: 'x' })).toThrow("test/r: unknown route target version 'v3': declared versions are 'v1', 'v2'");
  });
  test('fails on a retired target version', () => {
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'echo', { serviceName: 'echo', ports: [{ port: 80, protocol: PortProtocol.HTTP }], versions: [{ name: 'v1' }, { name: 'v2', retired: true }], activeVersion: 'v1' });
    expect(() => new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' })).toThrow(/route target version 'v2' is retired and gets no traffic/);
  });
  test('fails on empty or invalid cookie names', () => {
    expect(make({ cookieName: '' })).toThrow(/invalid cookie name '': must be a non-empty RFC 6265 token/);
    expect(make({ cookieName: 'x version' })).toThrow(/invalid cookie name 'x version'/);
    expect(make({ cookieName: 'a;b' })).toThrow(/invalid cookie name 'a;b'/);
  });
  test('fails on an invalid cookie value', () => {
    expect(make({ cookieName: 'x', cookieValue: 'a b' })).toThrow(/invalid value 'a b' for cookie 'x'/);
  });
  test('fails without a cookie name (a JavaScript caller can leave it out)', () => {
    expect(make({ cookieName: undefined })).toThrow('test/r: invalid cookieName: expected a string, got undefined undefined');
  });
  test('fails on prefixes and rewrites that are not paths', () => {
    expect(makePath({ pathPrefix: 'v1' })).toThrow(/invalid pathPrefix 'v1': must start with '\/'/);
    expect(makePath({ pathPrefix: '/v1', rewritePrefix: '//' })).toThrow(/invalid rewritePrefix '\/\/'/);
    expect(make({ pathPrefix: '/', rewritePrefix: '/api' })).toThrow(/rewritePrefix '\/api' for prefix '\/' would glue the path onto it/);
    expect(make({ rewritePrefix: '/api' })).toThrow("test/r: rewritePrefix '/api' given without pathPrefix: only a matched prefix can be rewritten");
  });
  test('fails on a path prefix with a query string or a space, which never match', () => {
    expect(makePath({ pathPrefix: '/v2?beta=1' })).toThrow("test/r: invalid pathPrefix '/v2?beta=1': Envoy matches the path without the query string or fragment, so '?beta=1' would never match; match the path '/v2' alone");
    expect(makePath({ pathPrefix: '/my app' })).toThrow(/test\/r: invalid pathPrefix '\/my app': character " " never appears in a request path/);
  });
  test('fails on a cookie whose match regex exceeds Istio\'s 1,024 characters', () => {
    expect(make({ cookieValue: 'v'.repeat(1000) })).toThrow(/test\/r: cookie x-version=v+ is too long: its match regex has 10\d\d characters and Istio accepts at most 1024/);
  });
});

describe('a path route on / without a cookie would take every request', () => {
  test('fails, naming the release, instead of silently taking all traffic from the active version', () => {
    // GIVEN a release whose active version is v1
    const { chart, release } = webEcho();

    // WHEN / THEN
    expect(() => new PathRoute(chart, 'all', { release, version: 'v2', pathPrefix: '/' }))
      .toThrow("test/all: pathPrefix '/' matches every request, so the route would take all traffic of test/echo from its own routing: to move traffic, change the release (activeVersion on a BlueGreen, canaryWeight on a Canary); to let some requests opt in, use a longer prefix or a CookieRoute");
  });

  test('is allowed together with a cookie, which narrows it', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version', pathPrefix: '/' });
    expect(route(chart, external('/x', 'x-version=v2')).to).toEqual({ v2: 100 });
    expect(route(chart, external('/x')).to).toEqual({ v1: 100 });
  });
});

describe('entry points of an opt-in route', () => {
  const mesh = (cookie?: string) => ({ sourceNamespace: 'demo', host: 'echo.demo.svc.cluster.local', port: 8600, path: '/', headers: cookie ? { cookie } : undefined });

  test('by default a route applies to external clients and in-mesh callers', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });
    expect(route(chart, external('/', 'x-version=v2')).to).toEqual({ v2: 100 });
    expect(route(chart, mesh('x-version=v2')).to).toEqual({ v2: 100 });
  });

  test('a route limited to the gateway leaves in-mesh callers on the active version', () => {
    // GIVEN
    const { chart, release } = webEcho();

    // WHEN
    new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version', entryPoints: [RouteEntryPoint.GATEWAY] });

    // THEN
    expect(route(chart, external('/', 'x-version=v2')).to).toEqual({ v2: 100 });
    expect(route(chart, mesh('x-version=v2')).to).toEqual({ v1: 100 });
  });

  test('a route limited to the mesh leaves external clients on the active version', () => {
    const { chart, release } = webEcho();
    new PathRoute(chart, 'v2', { release, version: 'v2', pathPrefix: '/v2', entryPoints: [RouteEntryPoint.MESH] });
    expect(route(chart, external('/v2/x')).to).toEqual({ v1: 100 });
    expect(route(chart, { ...mesh(), path: '/v2/x' }).to).toEqual({ v2: 100 });
  });

  test('fails on an entry point the release does not have, or on none', () => {
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'echo', { serviceName: 'echo', ports: [{ port: 80, protocol: PortProtocol.HTTP }], versions: [{ name: 'v1' }, { name: 'v2' }], activeVersion: 'v1' });
    expect(() => new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x', entryPoints: [RouteEntryPoint.GATEWAY] }))
      .toThrow("test/qa: entry point 'gateway' does not exist on test/echo: it has no hosts; choose among 'mesh'");
    expect(() => new CookieRoute(chart, 'none', { release, version: 'v2', cookieName: 'x', entryPoints: [] })).toThrow(/test\/none: entryPoints is empty/);
  });

  test('fails on a release that writes no VirtualService, where the route would never apply', () => {
    // GIVEN a release without hosts and without mesh routing
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'echo', { serviceName: 'echo', ports: [{ port: 80, protocol: PortProtocol.HTTP }], meshRouting: false });

    // WHEN / THEN
    expect(() => new CookieRoute(chart, 'qa', { release, version: 'green', cookieName: 'x' }))
      .toThrow('test/qa: test/echo writes no VirtualService (meshRouting: false and no hosts), so the route would never apply: give the release hosts or leave meshRouting on');
  });
});
