import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { FindingSeverity, TrafficAnalyzer } from '../../src';

/**
 * `check` on Gateway API routes: what istiod would not attach, not resolve or drop
 * (docs/gateway-api-semantics.md §1.5, §1.7, §3.1, §4.3, §5.3).
 */

const G = 'gateway.networking.k8s.io';

const base = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'ops' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }] } },
  {
    apiVersion: `${G}/v1`,
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'shop' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' }] },
  },
];

function route(name: string, spec: any, namespace = 'shop'): any {
  return { apiVersion: `${G}/v1`, kind: 'HTTPRoute', metadata: { name, namespace }, spec };
}

function findings(...objects: any[]) {
  return TrafficAnalyzer.analyze([...base, ...objects]).map((f) => ({ code: f.code, severity: f.severity, object: `${f.kind}/${f.namespace}/${f.name}`, path: f.path, message: f.message }));
}

const web = { backendRefs: [{ name: 'web', port: 80 }] };

describe('Gateway API routes in check', () => {
  test('a route that attaches and resolves reports nothing', () => {
    expect(findings(route('ok', { parentRefs: [{ name: 'public' }], hostnames: ['shop.example.com'], rules: [web] }))).toEqual([]);
  });

  test('ISTT010: parents that are not there, listeners that do not exist or refuse the namespace, Service parents without group ""', () => {
    const result = findings(
      route('missing', { parentRefs: [{ name: 'nope' }], rules: [web] }),
      route('section', { parentRefs: [{ name: 'public', sectionName: 'https' }], rules: [web] }),
      route('foreign', { parentRefs: [{ name: 'public', namespace: 'shop' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }, 'ops'),
      route('group', { parentRefs: [{ kind: 'Service', name: 'web' }], rules: [web] }),
    );
    // THEN each is reported on its parentRef, routes in istiod's order (namespace, then name)
    expect(result.map((f) => [f.code, f.object, f.path])).toEqual([
      ['ISTT010', 'HTTPRoute/ops/foreign', 'spec.parentRefs[0]'],
      ['ISTT010', 'HTTPRoute/shop/group', 'spec.parentRefs[0]'],
      ['ISTT010', 'HTTPRoute/shop/missing', 'spec.parentRefs[0]'],
      ['ISTT010', 'HTTPRoute/shop/section', 'spec.parentRefs[0]'],
    ]);
    expect(result[0].message).toMatch(/do not allow a HTTPRoute from namespace ops \(allowedRoutes\).*NotAllowedByListeners/);
    expect(result[1].message).toMatch(/skips this parentRef without writing any status/);
    expect(result[3].message).toMatch(/has no listener with sectionName 'https'/);
  });

  test('ISTT011: hostnames no listener accepts', () => {
    const [finding, ...rest] = findings(route('elsewhere', { parentRefs: [{ name: 'public' }], hostnames: ['shop.other.org'], rules: [web] }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ code: 'ISTT011', severity: FindingSeverity.ERROR, path: 'spec.hostnames' });
    expect(finding.message).toMatch(/accepts the hostnames shop\.other\.org \(listener hostnames: \*\.example\.com\)/);
  });

  test('ISTT012 and ISTT013: backends that do not resolve, and cross-namespace backends of Gateway routes without ReferenceGrant', () => {
    const r = route('r', {
      parentRefs: [{ name: 'public' }],
      rules: [
        { backendRefs: [{ name: 'gone', port: 80 }, { name: 'web', port: 8080 }] },
        { matches: [{ path: { value: '/ops' } }], backendRefs: [{ name: 'api', namespace: 'ops', port: 80 }] },
      ],
    });
    expect(findings(r).map((f) => [f.code, f.path])).toEqual([
      ['ISTT012', 'spec.rules[0].backendRefs[0]'],
      ['ISTT012', 'spec.rules[0].backendRefs[1]'],
      ['ISTT013', 'spec.rules[1].backendRefs[0]'],
    ]);
    // WHEN the grant exists, or the route is a mesh route THEN the cross-namespace backend is fine
    const grant = {
      apiVersion: `${G}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace: 'ops' },
      spec: { from: [{ group: G, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'api' }] },
    };
    expect(findings(r, grant).map((f) => f.code)).toEqual(['ISTT012', 'ISTT012']);
    const mesh = route('m', { parentRefs: [{ group: '', kind: 'Service', name: 'web' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'ops', port: 80 }] }] });
    expect(findings(mesh)).toEqual([]);
  });

  test('ISTT013: a certificate in another namespace without ReferenceGrant', () => {
    const gw = {
      apiVersion: `${G}/v1`,
      kind: 'Gateway',
      metadata: { name: 'tls', namespace: 'shop' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert', namespace: 'certs' }] } }] },
    };
    expect(findings(gw).map((f) => [f.code, f.object, f.path])).toEqual([['ISTT013', 'Gateway/shop/tls', 'spec.listeners[0].tls.certificateRefs[0]']]);
  });

  test('ISTT014 and ISTT015: routes istiod drops, and matches sorted after a catch-all', () => {
    const dropped = route('dropped', { parentRefs: [{ name: 'public' }], rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'Y', name: 'z' } }], ...web }] });
    const shadowed = route('shadowed', {
      parentRefs: [{ name: 'public' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], ...web }, { matches: [{ path: { type: 'RegularExpression', value: '/x.*' } }], ...web }],
    });
    expect(findings(dropped, shadowed).map((f) => [f.code, f.object, f.path])).toEqual([
      ['ISTT014', 'HTTPRoute/shop/dropped', 'spec.rules'],
      ['ISTT015', 'HTTPRoute/shop/shadowed', 'spec.rules[0]'],
    ]);
  });

  test('ISTT016: mesh routes of a Service in an ambient namespace without waypoint', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } };
    const mesh = route('m', { parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }], rules: [web] });
    expect(findings(ns, mesh).map((f) => [f.code, f.severity])).toEqual([['ISTT016', FindingSeverity.WARNING]]);
    const labelled = { ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, 'istio.io/use-waypoint': 'waypoint' } } };
    expect(findings(labelled, mesh)).toEqual([]);
  });

  test('ISTT017: sectionName on a Service parent, and an HTTPRoute on a TCP port', () => {
    const tcpService = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { app: 'db' }, ports: [{ name: 'tcp-db', port: 5432 }] } };
    const bySection = route('s', { parentRefs: [{ group: '', kind: 'Service', name: 'web', sectionName: 'http' }], rules: [web] });
    const onTcp = route('t', { parentRefs: [{ group: '', kind: 'Service', name: 'db', port: 5432 }], rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] });
    expect(findings(tcpService, bySection, onTcp).map((f) => [f.code, f.object, f.path])).toEqual([
      ['ISTT017', 'HTTPRoute/shop/s', 'spec.parentRefs[0].sectionName'],
      ['ISTT017', 'HTTPRoute/shop/t', 'spec.parentRefs[0].port'],
    ]);
  });

  test.each(['web-echo-gateway-api', 'color-gateway-api', 'cowsay-gateway-api', 'pii-demo-ambient'])('the committed %s output has no findings at all', (example) => {
    // GIVEN the example's committed Gateway API output
    const files: string[] = [];
    const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => (e.isDirectory()
      ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') && files.push(path.join(dir, e.name))));
    walk(path.join(__dirname, '..', '..', 'examples', example, 'dist'));
    const manifests = files.flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS())).filter((o) => o?.kind);
    expect(manifests.some((o) => o.kind === 'HTTPRoute')).toBe(true);
    // WHEN / THEN
    expect(TrafficAnalyzer.analyze(manifests).map((f) => `${f.code} ${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
  });
});
