import { app, findingsOf, GATEWAY, virtualService } from './fixtures';
import { FindingSeverity, TrafficAnalyzer } from '../../src';

describe('IST0109 conflicting mesh hosts', () => {
  // istiod: pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go
  test('reports every VirtualService of a conflict (short and FQDN host), nothing else', () => {
    // GIVEN 'web' and 'web.default.svc.cluster.local' in two mesh VirtualServices, and a third
    // VirtualService for the same host bound to a gateway only
    const yaml = app('web') + GATEWAY
      + virtualService('web-a', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('web-b', '  hosts: [web.default.svc.cluster.local]\n  http: [{ route: [{ destination: { host: web, subset: green } }] }]')
      + virtualService('web-edge', '  hosts: [web]\n  gateways: [gw]\n  http: [{ route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN both mesh VirtualServices are reported, as istiod reports each one of the conflict
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.namespace, f.name, f.path])).toEqual([
      ['IST0109', FindingSeverity.ERROR, 'VirtualService', 'default', 'web-a', 'spec.hosts[0]'],
      ['IST0109', FindingSeverity.ERROR, 'VirtualService', 'default', 'web-b', 'spec.hosts[0]'],
    ]);
    expect(findings[1].message).toBe("host 'web.default.svc.cluster.local' is also routed in the mesh by VirtualService 'default/web-a' for every namespace (conflict on 'web.default.svc.cluster.local'): sidecars keep only the oldest VirtualService for a host and ignore the others");
  });

  test('reports overlapping wildcard hosts when one is exported to its namespace and the other everywhere', () => {
    // GIVEN, in namespace d, '*.productpage.d' exported to '.', '*.d' exported to '*', and in
    // namespace other '*.reviews.d' exported to '.' (its scope is namespace other, which the
    // exported-everywhere '*.d' also reaches), plus '*.d' and 'a.d' both exported everywhere
    // (istiod compares exported-everywhere hosts only when they are identical)
    const yaml = virtualService('pp', '  hosts: [\'*.productpage.d\']\n  exportTo: [.]\n  tcp: [{ route: [{ destination: { host: x.example.com } }] }]', 'd')
      + virtualService('all', '  hosts: [\'*.d\']\n  exportTo: [\'*\']\n  tcp: [{ route: [{ destination: { host: x.example.com } }] }]', 'd')
      + virtualService('rv', '  hosts: [\'*.reviews.d\']\n  exportTo: [.]\n  tcp: [{ route: [{ destination: { host: x.example.com } }] }]', 'other')
      + virtualService('exact', '  hosts: [a.d]\n  tcp: [{ route: [{ destination: { host: x.example.com } }] }]', 'd')
      + virtualService('far', '  hosts: [\'*.example.org\']\n  exportTo: [.]\n  tcp: [{ route: [{ destination: { host: x.example.com } }] }]', 'd');

    // WHEN
    const findings = findingsOf(yaml, undefined, { knownHosts: ['x.example.com'] });

    // THEN 'pp', 'all' and 'rv' are reported; 'exact' and 'far' are not
    expect(findings.map((f) => [f.code, f.namespace, f.name, f.path])).toEqual([
      ['IST0109', 'd', 'all', 'spec.hosts[0]'],
      ['IST0109', 'd', 'pp', 'spec.hosts[0]'],
      ['IST0109', 'other', 'rv', 'spec.hosts[0]'],
    ]);
  });

  test('reports VirtualServices exported to a common namespace', () => {
    // GIVEN two VirtualServices of different namespaces both exported to 'shop'
    const yaml = app('web', 'shop')
      + virtualService('a', '  hosts: [web.shop.svc.cluster.local]\n  exportTo: [., team-a]\n  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]', 'shop')
      + virtualService('b', '  hosts: [web.shop.svc.cluster.local]\n  exportTo: [shop]\n  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]', 'team-b');

    // WHEN / THEN
    expect(findingsOf(yaml).map((f) => [f.code, f.namespace, f.name])).toEqual([['IST0109', 'shop', 'a'], ['IST0109', 'team-b', 'b']]);
  });

  test('accepts the same host when exportTo scopes do not overlap', () => {
    // GIVEN two VirtualServices visible in different namespaces only
    const yaml = app('web')
      + virtualService('web-a', '  hosts: [web]\n  exportTo: [.]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('web-b', '  hosts: [web]\n  exportTo: [team-b]\n  http: [{ route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0109')).toEqual([]);
  });
});

describe('ISTT006 conflicting hosts on one gateway', () => {
  test('fails (error) when both VirtualServices have a catch-all for the host on the gateway', () => {
    // GIVEN two gateway VirtualServices for app.example.com, each ending in a catch-all
    const yaml = app('web') + GATEWAY
      + virtualService('a', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('b', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN
    const findings = findingsOf(yaml, 'ISTT006');

    // THEN
    expect(findings.map((f) => [f.severity, f.name, f.message])).toEqual([[
      FindingSeverity.ERROR, 'b',
      "host 'app.example.com' on gateway 'default/gw' is also routed by VirtualService 'default/a': the gateway merges both route lists in creation order, and as both have a catch-all rule one of them never matches",
    ]]);
  });

  test('fails (warning) when routes of both can match one request', () => {
    // GIVEN a catch-all and a header rule in a, the same header rule in b: both header routes come
    // before the catch-all, in creation order (route.go SortVHostRoutes moves only catch-alls last)
    const yaml = app('web') + GATEWAY
      + virtualService('a', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ match: [{ headers: { x-v: { prefix: g } } }], route: [{ destination: { host: web, subset: blue } }] }, { route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('b', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ match: [{ headers: { x-v: { exact: g } } }], route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT006').map((f) => f.severity)).toEqual([FindingSeverity.WARNING]);
  });

  test('accepts a header rule beside another VirtualService\'s catch-all: the catch-all always comes last', () => {
    // GIVEN a catch-all in a and a header rule only in b
    const yaml = app('web') + GATEWAY
      + virtualService('a', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('b', '  hosts: [app.example.com]\n  gateways: [gw]\n  http: [{ match: [{ headers: { x-v: { exact: g } } }], route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT006')).toEqual([]);
  });

  test('accepts the same host on the mesh and on a gateway', () => {
    // GIVEN one mesh and one gateway VirtualService for web
    const yaml = app('web') + GATEWAY
      + virtualService('mesh', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('edge', '  hosts: [web]\n  gateways: [gw]\n  http: [{ route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});

describe('IST0109 at scale', () => {
  test('many mesh VirtualServices for one host are each reported once, with short messages, in linear time', () => {
    // GIVEN 3000 mesh VirtualServices for the same host
    const manifests = Array.from({ length: 3000 }, (_, i) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: `vs-${String(i).padStart(4, '0')}`, namespace: 'shop' },
      spec: { hosts: ['web.example.com'], tcp: [{ route: [{ destination: { host: 'web.example.com' } }] }] },
    }));

    // WHEN
    const started = Date.now();
    const findings = TrafficAnalyzer.analyze(manifests, { knownHosts: ['web.example.com'] });
    const elapsed = Date.now() - started;

    // THEN every one is reported, naming five others and counting the rest
    expect(findings.length).toBe(3000);
    expect(new Set(findings.map((f) => f.name)).size).toBe(3000);
    expect(findings[0].message).toBe("host 'web.example.com' is also routed in the mesh by VirtualService 'shop/vs-0001', 'shop/vs-0002', 'shop/vs-0003', 'shop/vs-0004', 'shop/vs-0005' and 2994 more for every namespace (conflict on 'web.example.com'): sidecars keep only the oldest VirtualService for a host and ignore the others");
    expect(elapsed).toBeLessThan(5000);
  });
});
