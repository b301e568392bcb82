import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { RouteOutcome, RouteSimulator, TrafficTesting } from '../../src';

const BASE = `
apiVersion: v1
kind: Service
metadata: { name: api, namespace: prod }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: api-shadow, namespace: prod }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: api-0, namespace: prod, labels: { app: api } }
---
`;

function sim(vsHttp: string): RouteSimulator {
  const text = `${BASE}
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: api, namespace: prod }
spec:
  hosts: [api]
  http:${vsHttp}
`;
  return new RouteSimulator(parseAllDocuments(text).map((d) => d.toJS()));
}

const call = (s: RouteSimulator, p: string) => s.route({ sourceNamespace: 'prod', host: 'api', path: p });

describe('§4 actions', () => {
  test('§4.1 prefix /v1 rewritten to / turns /v10 into /0', () => {
    // GIVEN prefix /v1 with rewrite /
    const s = sim(`
  - match: [{ uri: { prefix: /v1 } }]
    rewrite: { uri: / }
    route: [{ destination: { host: api } }]`);
    // WHEN /v10 and /v1 are requested
    // THEN the first two characters are swapped
    expect(call(s, '/v10').path).toBe('/0');
    expect(call(s, '/v1').path).toBe('/');
  });

  test('§4.1 exact and regex matches swap the whole path and keep the query', () => {
    // GIVEN an exact /old rule and a regex rule, both rewriting to /new
    const s = sim(`
  - match: [{ uri: { exact: /old } }, { uri: { regex: "/legacy/.*" } }]
    rewrite: { uri: /new }
    route: [{ destination: { host: api } }]`);
    // WHEN /old?a=1 and /legacy/x/y?b=2 are requested
    // THEN the whole path is replaced, the query kept
    expect(call(s, '/old?a=1').path).toBe('/new?a=1');
    expect(call(s, '/legacy/x/y?b=2').path).toBe('/new?b=2');
  });

  test('§4.1 uriRegexRewrite replaces every match with \\N groups (the doc example yields a double slash)', () => {
    // GIVEN the API doc's regex rewrite
    const s = sim(`
  - rewrite: { uriRegexRewrite: { match: "^/service/([^/]+)(/.*)$", rewrite: "/customprefix/\\\\2/\\\\1" } }
    route: [{ destination: { host: api } }]`);
    // WHEN /service/update/v1/api is requested
    // THEN \\2 is /v1/api, so the result has //
    expect(call(s, '/service/update/v1/api').path).toBe('/customprefix//v1/api/update');
  });

  test('§4.1 authority rewrite changes the forwarded authority', () => {
    // GIVEN an authority rewrite
    const s = sim(`
  - rewrite: { authority: api.internal }
    route: [{ destination: { host: api } }]`);
    // WHEN a request is sent
    // THEN the upstream authority is rewritten
    expect(call(s, '/').authority).toBe('api.internal');
  });

  test('§4.2 redirect replaces the whole path and defaults to 301', () => {
    // GIVEN a redirect to /v2 on another authority
    const s = sim(`
  - match: [{ uri: { prefix: /v1 } }]
    redirect: { uri: /v2, authority: new.example.com }`);
    // WHEN /v1/items?q=1 is requested
    const result = call(s, '/v1/items?q=1');
    // THEN the client is told to go to the new location
    expect(result.outcome).toBe(RouteOutcome.REDIRECT);
    expect(result.statusCode).toBe(301);
    expect(result.redirectLocation).toBe('http://new.example.com/v2?q=1');
  });

  test('§4.2 redirectCode 300 is not translated by istiod and is reported as unsupported', () => {
    // GIVEN a redirect with code 300
    const s = sim(`
  - redirect: { uri: /x, redirectCode: 300 }`);
    // WHEN a request is sent
    const result = call(s, '/');
    // THEN the simulator refuses to guess
    expect(result.outcome).toBe(RouteOutcome.UNSUPPORTED);
    expect(result.reason).toMatch(/redirectCode 300/);
  });

  test('§4.2 direct response returns the configured status and body', () => {
    // GIVEN a direct response 418
    const s = sim(`
  - match: [{ uri: { exact: /teapot } }]
    directResponse: { status: 418, body: { string: "short and stout" } }
  - route: [{ destination: { host: api } }]`);
    // WHEN /teapot is requested
    const result = call(s, '/teapot');
    // THEN the proxy answers itself
    expect(result.outcome).toBe(RouteOutcome.DIRECT_RESPONSE);
    expect(result.statusCode).toBe(418);
    expect(result.body).toBe('short and stout');
  });

  test('§4.3 mirror without percentage mirrors 100%; mirrors[] with 0% mirror nothing', () => {
    // GIVEN a rule with a mirror and another with a 0% mirrors entry
    const s = sim(`
  - match: [{ uri: { prefix: /a } }]
    route: [{ destination: { host: api } }]
    mirror: { host: api-shadow }
  - route: [{ destination: { host: api } }]
    mirrors: [{ destination: { host: api-shadow }, percentage: { value: 0 } }]`);
    // WHEN /a and /b are requested
    // THEN only /a is mirrored, at 100%
    expect(call(s, '/a').mirrors).toEqual([expect.objectContaining({ host: 'api-shadow.prod.svc.cluster.local', percentage: 100, port: 80 })]);
    expect(call(s, '/b').mirrors).toEqual([]);
  });
});

describe('§11 evaluator model', () => {
  test('§11 sidecar: unknown host on port 80 passes through (ALLOW_ANY)', () => {
    // GIVEN the api service only
    const s = sim(`
  - route: [{ destination: { host: api } }]`);
    // WHEN a pod calls an external host
    const result = s.route({ sourceNamespace: 'prod', host: 'www.example.org' });
    // THEN it goes out unchanged
    expect(result.outcome).toBe(RouteOutcome.PASSTHROUGH);
    expect(result.reason).toMatch(/PassthroughCluster/);
  });

  test('§11 sidecar: a known service without VS gets the default route to all endpoints', () => {
    // GIVEN api-shadow has no VS
    const s = sim(`
  - route: [{ destination: { host: api } }]`);
    // WHEN a pod calls api-shadow with a dot-segment path
    const result = s.route({ sourceNamespace: 'prod', host: 'api-shadow', path: '/a/../b' });
    // THEN default routing applies and the path is normalized
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(result.statusCode).toBe(200);
    expect(result.path).toBe('/b');
    expect(result.destinations).toEqual([expect.objectContaining({ host: 'api-shadow.prod.svc.cluster.local', port: 80, percentage: 100, healthy: true })]);
  });
});

describe('loading and api', () => {
  test('fromDirectory reads *.yaml and *.yml recursively, multi-document', () => {
    // GIVEN a temp folder with manifests split over nested files
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-sim-'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'svc.yaml'), BASE);
    fs.writeFileSync(path.join(dir, 'nested', 'vs.yml'), `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: prod }
spec:
  hosts: [api]
  http: [{ directResponse: { status: 204 } }]
`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
    // WHEN the simulator is built from the folder
    const s = RouteSimulator.fromDirectory(dir);
    // THEN both files are used
    expect(s.route({ sourceNamespace: 'prod', host: 'api' }).statusCode).toBe(204);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fromDirectory names a missing directory', () => {
    // GIVEN a path that does not exist
    // WHEN/THEN the error names it
    expect(() => RouteSimulator.fromDirectory('/nonexistent/dist')).toThrow(/manifest directory '\/nonexistent\/dist' does not exist/);
  });

  test('a malformed gateway reference is rejected with the expected form', () => {
    // GIVEN any simulator
    const s = RouteSimulator.fromYaml(BASE);
    // WHEN a bare gateway name is used
    // THEN the error explains namespace/name
    expect(() => s.route({ gateway: 'ingress', host: 'x' })).toThrow("gateway reference 'ingress' is not of the form 'namespace/name'");
    expect(() => s.route({ gateway: 'a/b', host: 'x' })).toThrow(/gateway 'a\/b' is not in the manifests \(known gateways: none\)/);
    expect(() => s.route({ host: 'x', port: 70000 })).toThrow(/request port 70000 is invalid/);
  });

  test('TrafficTesting.route synthesizes a cdk8s chart and simulates in one line', () => {
    // GIVEN a chart with a Service and a VS emitted as ApiObjects
    const chart = new Chart(Testing.app(), 'test', { namespace: 'prod' });
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    new ApiObject(chart, 'vs', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'api' },
      spec: { hosts: ['api'], http: [{ match: [{ uri: { prefix: '/v1' } }], rewrite: { uri: '/' }, route: [{ destination: { host: 'api' } }] }] },
    } as any);
    // WHEN a request is simulated
    const result = TrafficTesting.route(chart, { sourceNamespace: 'prod', host: 'api', path: '/v1/users' });
    // THEN the chart namespace is used and the rewrite applied
    expect(result.destinations[0].host).toBe('api.prod.svc.cluster.local');
    expect(result.path).toBe('//users');
  });
});
