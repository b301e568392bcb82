import { app, findingsOf, GATEWAY, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

describe('IST0109 conflicting mesh hosts', () => {
  test('fails when two mesh VirtualServices declare the same host (short and FQDN)', () => {
    // GIVEN 'web' and 'web.default.svc.cluster.local' in two mesh VirtualServices
    const yaml = app('web')
      + virtualService('web-a', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]')
      + virtualService('web-b', '  hosts: [web.default.svc.cluster.local]\n  http: [{ route: [{ destination: { host: web, subset: green } }] }]');

    // WHEN
    const findings = findingsOf(yaml, 'IST0109');

    // THEN the later one (by name, as plain YAML has no creation time) is reported
    expect(findings.map((f) => [f.severity, f.name, f.path, f.message])).toEqual([[
      FindingSeverity.ERROR, 'web-b', 'spec.hosts[0]',
      "host 'web.default.svc.cluster.local' is also routed in the mesh by VirtualService 'default/web-a': sidecars keep only the oldest VirtualService for a host and ignore the other",
    ]]);
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
