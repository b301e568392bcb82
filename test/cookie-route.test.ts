import { Chart, Testing } from 'cdk8s';
import { BlueGreen, Canary, CookieRoute, CookieRouteProps, PortProtocol, RequestMatch } from '../src';
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

describe('uri prefixes', () => {
  const prefixed = () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'v1', { release, version: 'v1', uriPrefix: '/v1', rewriteUri: '/' });
    new CookieRoute(chart, 'v2', { release, version: 'v2', uriPrefix: '/v2', rewriteUri: '/' });
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
    new CookieRoute(chart, 'api', { release, version: 'v2', uriPrefix: '/v2', rewriteUri: '/api' });
    expect(route(chart, external('/v2/users')).path).toBe('/api/users');
    expect(route(chart, external('/v2')).path).toBe('/api');
  });

  test('cookie and prefix together require both', () => {
    const { chart, release } = webEcho();
    new CookieRoute(chart, 'both', { release, version: 'v2', uriPrefix: '/beta', cookieName: 'x-version' });
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
    new CookieRoute(chart, 'r', { release, version: 'v2', ...props });
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
  test('fails with nothing to match', () => {
    expect(make({})).toThrow(/nothing to match: set cookieName, uriPrefix or both/);
  });
  test('fails on prefixes and rewrites that are not paths', () => {
    expect(make({ uriPrefix: 'v1' })).toThrow(/invalid uriPrefix 'v1': must be a path starting with '\/'/);
    expect(make({ uriPrefix: '/v1', rewriteUri: '//' })).toThrow(/invalid rewriteUri '\/\/'/);
    expect(make({ uriPrefix: '/', rewriteUri: '/api' })).toThrow(/rewriteUri '\/api' for prefix '\/' would glue the path onto it/);
  });
});
