import * as path from 'path';
import { RequestProtocol, RouteSimulator } from '../src';
import { summarize } from './routing';

/**
 * The committed GitOps output of each example does what its article set out to do, checked on the
 * YAML files themselves (as ArgoCD or Flux would apply them).
 */
const simulatorFor = (example: string) => RouteSimulator.fromDirectory(path.join(__dirname, '..', 'examples', example, 'dist'));

describe('pii-demo (seed 000)', () => {
  const sim = simulatorFor('pii-demo');
  const web = (host: string) => summarize(sim.route({ gateway: 'pii-demo/httpd-server-gateway', host, path: '/' })).to;

  test('the main host is round-robin, each colour host pinned', () => {
    expect(web('pii-demo.apps.hl.test')).toEqual({ '*': 100 });
    expect(web('pii-demo-blue.apps.hl.test')).toEqual({ blue: 100 });
    expect(web('pii-demo-green.apps.hl.test')).toEqual({ green: 100 });
  });

  test('blue pods talk to blue pods over http and to the blue database over tcp', () => {
    const fromBlue = { sourceNamespace: 'pii-demo', sourceLabels: { app: 'httpd-server', version: 'blue' } };
    expect(summarize(sim.route({ ...fromBlue, host: 'httpd-server.pii-demo.svc.cluster.local' })).to).toEqual({ blue: 100 });
    expect(summarize(sim.route({ ...fromBlue, host: 'mysql-server', port: 3306, protocol: RequestProtocol.TCP })).to).toEqual({ blue: 100 });
    const fromGreen = { sourceNamespace: 'pii-demo', sourceLabels: { app: 'httpd-server', version: 'green' } };
    expect(summarize(sim.route({ ...fromGreen, host: 'mysql-server', port: 3306, protocol: RequestProtocol.TCP })).to).toEqual({ green: 100 });
  });
});

describe('cowsay (seed 001)', () => {
  test('v1 serves everyone', () => {
    const sim = simulatorFor('cowsay');
    expect(summarize(sim.route({ gateway: 'cowsay/cowsay-gateway', host: 'cowsay.example.com', path: '/' }))).toEqual({ status: 200, to: { v1: 100 }, path: '/' });
  });
});

describe('color (seed 003)', () => {
  const sim = simulatorFor('color');
  test('requests under /color are split 75/25, others reach blue', () => {
    expect(summarize(sim.route({ gateway: 'color/color-gateway', host: '192.168.50.11', path: '/color/' })).to).toEqual({ blue: 75, green: 25 });
    expect(summarize(sim.route({ gateway: 'color/color-gateway', host: 'anything.example', path: '/' })).to).toEqual({ blue: 100 });
  });
});

describe('web-echo (seed 004)', () => {
  const sim = simulatorFor('web-echo');
  const request = (p: string, cookie?: string) => summarize(sim.route({
    gateway: 'web-echo/service-mesh-tls-gateway', host: 'service-mesh.dev', port: 443, scheme: 'https', path: p, headers: cookie ? { cookie } : undefined,
  }));

  test('v1 by default, v2 with the cookie in any position', () => {
    expect(request('/').to).toEqual({ v1: 100 });
    expect(request('/', 'x-version=v2;').to).toEqual({ v2: 100 });
    expect(request('/', 'session=abc; x-version=v2').to).toEqual({ v2: 100 });
    expect(request('/', 'session=abc;x-version=v2').to).toEqual({ v2: 100 });
    expect(request('/', 'x-version=v1;').to).toEqual({ v1: 100 });
  });

  test('version prefixes are stripped without double slashes', () => {
    expect(request('/v2/api')).toEqual({ status: 200, to: { v2: 100 }, path: '/api' });
    expect(request('/v1')).toEqual({ status: 200, to: { v1: 100 }, path: '/' });
    expect(request('/v10')).toEqual({ status: 200, to: { v1: 100 }, path: '/v10' });
  });

  test('plain http is redirected to https', () => {
    const result = sim.route({ gateway: 'web-echo/service-mesh-tls-gateway', host: 'service-mesh.dev', port: 80, path: '/' });
    expect(result.statusCode).toBe(301);
  });
});

/**
 * The Gateway API outputs of the same seeds, simulated as Istio programs Gateway API
 * (docs/gateway-api-semantics.md §2.5): the same versions as the VirtualService outputs above.
 */
describe('Gateway API examples route like their Istio counterparts', () => {
  const version = (service: string) => (result: ReturnType<RouteSimulator['route']>) => Object.fromEntries(result.destinations.map((d) => {
    const name = d.host.split('.')[0];
    return [name === service ? '*' : name.slice(service.length + 1), d.percentage];
  }));

  test('color: requests under /color are split 75/25, others reach blue', () => {
    const sim = simulatorFor('color-gateway-api');
    const to = version('color-service');
    expect(to(sim.route({ gateway: 'color/color-gateway', host: '192.168.50.11', path: '/color/' }))).toEqual({ blue: 75, green: 25 });
    expect(to(sim.route({ gateway: 'color/color-gateway', host: 'anything.example', path: '/' }))).toEqual({ blue: 100 });
  });

  test('web-echo: v1 by default, v2 by cookie, prefixes stripped by whole segments, plain http redirected', () => {
    const sim = simulatorFor('web-echo-gateway-api');
    const to = version('blue-green-service');
    const request = (p: string, cookie?: string) => sim.route({
      gateway: 'web-echo/service-mesh-tls-gateway', host: 'service-mesh.dev', port: 443, path: p, headers: cookie ? { cookie } : undefined,
    });
    expect(to(request('/'))).toEqual({ v1: 100 });
    expect(to(request('/', 'session=abc; x-version=v2'))).toEqual({ v2: 100 });
    expect(request('/v2/api')).toMatchObject({ statusCode: 200, path: '/api' });
    expect(to(request('/v2/api'))).toEqual({ v2: 100 });
    expect(request('/v1').path).toBe('/');
    expect(request('/v10')).toMatchObject({ path: '/v10' });
    expect(to(request('/v10'))).toEqual({ v1: 100 });
    expect(sim.route({ gateway: 'web-echo/service-mesh-tls-gateway', host: 'service-mesh.dev', port: 80, path: '/' }).statusCode).toBe(301);
  });

  test('cowsay: v1 serves everyone', () => {
    const sim = simulatorFor('cowsay-gateway-api');
    expect(version('cowsay')(sim.route({ gateway: 'cowsay/cowsay-gateway', host: 'cowsay.example.com', path: '/' }))).toEqual({ v1: 100 });
  });
});
