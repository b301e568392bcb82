import { Chart, Testing } from 'cdk8s';
import { Canary, CanaryProps, PortProtocol, RequestMatch, RequestProtocol } from '../src';
import { manifestsOf, route } from './routing';

function chartWith(props: Partial<CanaryProps> = {}): Chart {
  const chart = Testing.chart();
  new Canary(chart, 'color', {
    serviceName: 'color',
    namespace: 'demo',
    ports: [{ port: 8000, targetPort: 8080, protocol: PortProtocol.HTTP }],
    hosts: ['color.example.com'],
    versionLabel: 'color',
    stable: { name: 'blue' },
    canary: { name: 'green' },
    canaryWeight: 25,
    ...props,
  });
  return chart;
}

const external = (extra: object = {}) => ({ gateway: 'demo/color-gateway', host: 'color.example.com', path: '/', ...extra });
const mesh = (extra: object = {}) => ({ sourceNamespace: 'demo', sourceLabels: { app: 'client' }, host: 'color.demo.svc.cluster.local', port: 8000, ...extra });

describe('weighted split', () => {
  test('the canary gets its share through the gateway and from the mesh', () => {
    const chart = chartWith();
    expect(route(chart, external()).to).toEqual({ blue: 75, green: 25 });
    expect(route(chart, mesh()).to).toEqual({ blue: 75, green: 25 });
  });

  test('rollback (0) and promotion (100) write a single plain destination', () => {
    const rollback = chartWith({ canaryWeight: 0 });
    const promote = chartWith({ canaryWeight: 100 });
    expect(route(rollback, external()).to).toEqual({ blue: 100 });
    expect(route(promote, external()).to).toEqual({ green: 100 });
    const ingress = manifestsOf(promote, 'VirtualService').find((vs) => vs.metadata.name === 'color-ingress');
    expect(ingress.spec.http).toEqual([{ route: [{ destination: { host: 'color.demo.svc.cluster.local', subset: 'green', port: { number: 8000 } } }] }]);
  });

  test('a match limits the split; other requests reach stable', () => {
    const chart = chartWith({ match: [RequestMatch.uriPrefix('/color')] });
    expect(route(chart, external({ path: '/color' })).to).toEqual({ blue: 75, green: 25 });
    expect(route(chart, external({ path: '/color/x' })).to).toEqual({ blue: 75, green: 25 });
    expect(route(chart, external({ path: '/other' })).to).toEqual({ blue: 100 });
  });

  test('tcp ports are split with the same weights', () => {
    const chart = Testing.chart();
    new Canary(chart, 'db', { serviceName: 'db', namespace: 'demo', ports: [{ port: 5432, protocol: PortProtocol.TCP }], stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: 10 });
    expect(route(chart, { sourceNamespace: 'demo', host: 'db.demo.svc.cluster.local', port: 5432, protocol: RequestProtocol.TCP }).to).toEqual({ v1: 90, v2: 10 });
  });
});

describe('force routes', () => {
  const chart = () => chartWith({
    canaryWeight: 0,
    forceCanary: [RequestMatch.header('x-canary', 'always'), RequestMatch.cookie('qa', 'yes')],
    forceStable: [RequestMatch.header('x-canary', 'never')],
  });

  test('testers reach the canary by header or cookie even at weight 0', () => {
    expect(route(chart(), external({ headers: { 'x-canary': 'always' } })).to).toEqual({ green: 100 });
    expect(route(chart(), external({ headers: { cookie: 'session=1; qa=yes' } })).to).toEqual({ green: 100 });
    expect(route(chart(), external({ headers: { cookie: 'qa=yesno' } })).to).toEqual({ blue: 100 });
  });

  test('a stable force route wins over the split', () => {
    const c = chartWith({ canaryWeight: 100, forceStable: [RequestMatch.header('x-canary', 'never')] });
    expect(route(c, external({ headers: { 'x-canary': 'never' } })).to).toEqual({ blue: 100 });
    expect(route(c, external()).to).toEqual({ green: 100 });
  });
});

describe('mirroring', () => {
  test('a share of the split traffic is copied to the canary', () => {
    const chart = chartWith({ canaryWeight: 0, mirrorPercentage: 10 });
    const ingress = manifestsOf(chart, 'VirtualService').find((vs) => vs.metadata.name === 'color-ingress');
    expect(ingress.spec.http[0].mirror).toEqual({ host: 'color.demo.svc.cluster.local', subset: 'green', port: { number: 8000 } });
    expect(ingress.spec.http[0].mirrorPercentage).toEqual({ value: 10 });
    expect(ingress.spec.http[0].mirror_percent).toBeUndefined();
  });
});

describe('sticky sessions', () => {
  test('the split sets a cookie naming the version and the cookie keeps the client there', () => {
    const chart = chartWith({ stickySessions: { cookieName: 'color-v', maxAgeSeconds: 600 } });
    const ingress = manifestsOf(chart, 'VirtualService').find((vs) => vs.metadata.name === 'color-ingress');
    const split = ingress.spec.http[ingress.spec.http.length - 1];
    expect(split.route.map((r: any) => r.headers.response.add['set-cookie'])).toEqual(['color-v=blue; Path=/; Max-Age=600', 'color-v=green; Path=/; Max-Age=600']);
    expect(route(chart, external({ headers: { cookie: 'color-v=green' } })).to).toEqual({ green: 100 });
    expect(route(chart, external({ headers: { cookie: 'a=b;color-v=blue' } })).to).toEqual({ blue: 100 });
    expect(route(chart, external()).to).toEqual({ blue: 75, green: 25 });
  });

  test('rollback ignores the canary cookie', () => {
    const chart = chartWith({ canaryWeight: 0, stickySessions: {} });
    expect(route(chart, external({ headers: { cookie: 'color-version=green' } })).to).toEqual({ blue: 100 });
  });
});

describe('bad input', () => {
  test('fails on weights outside 0-100 or not whole', () => {
    expect(() => chartWith({ canaryWeight: 101 })).toThrow('test/color: invalid canaryWeight 101: must be a whole number from 0 to 100');
    expect(() => chartWith({ canaryWeight: -1 })).toThrow(/invalid canaryWeight -1/);
    expect(() => chartWith({ canaryWeight: 12.5 })).toThrow(/invalid canaryWeight 12.5/);
  });
  test('fails when the stable or canary version is retired', () => {
    expect(() => chartWith({ canary: { name: 'green', retired: true } })).toThrow("test/color: canary version 'green' is retired and gets no traffic: choose one of 'blue', or stop retiring it");
  });
  test('fails on the same version as stable and canary', () => {
    expect(() => chartWith({ canary: { name: 'blue' } })).toThrow(/duplicate version 'blue'/);
  });
  test('fails on header names with upper case', () => {
    expect(() => chartWith({ forceCanary: [RequestMatch.header('X-Canary', 'always')] })).toThrow(/invalid header name 'X-Canary': must be lowercase/);
  });
  test('fails on a header regex that is not RE2', () => {
    expect(() => chartWith({ match: [RequestMatch.headerRegex('user-agent', '(?=x).*')] })).toThrow(/invalid header 'user-agent' regex '\(\?=x\)\.\*': not valid RE2 syntax/);
  });
  test('fails on an invalid mirror percentage', () => {
    expect(() => chartWith({ mirrorPercentage: 150 })).toThrow(/invalid mirrorPercentage 150: must be a number from 0 to 100/);
  });
  test('fails on a force route that can never match', () => {
    expect(() => chartWith({ forceCanary: [RequestMatch.header('x-canary', 'on')], forceStable: [RequestMatch.header('x-canary', 'on')] }))
      .toThrow(/route 'forced to stable -> blue' can never match: every request it matches is already taken by 'forced to canary -> green'/);
  });
});
