import { app, findingsOf, GATEWAY, service, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

describe('IST0101 referenced resource not found', () => {
  test('fails when a route names a subset no DestinationRule defines', () => {
    // GIVEN a VirtualService routing to subset 'purple' of a service with subsets blue and green
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web, subset: purple } }]`);

    // WHEN
    const [finding, ...rest] = findingsOf(yaml, 'IST0101');

    // THEN
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: FindingSeverity.ERROR,
      kind: 'VirtualService',
      namespace: 'default',
      name: 'web',
      path: 'spec.http[0].route[0].destination.subset',
    });
    expect(finding.message).toBe("subset 'purple' of host 'web.default.svc.cluster.local' is not defined by any DestinationRule (defined subsets: 'blue', 'green'): requests routed here get 503 NC");
    expect(finding.fix).toMatch(/add a subset named 'purple'/);
  });

  test('fails when a mirror names an undefined subset', () => {
    // GIVEN a mirror to subset 'canary'
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web, subset: blue } }]
    mirror: { host: web, subset: canary }`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0101').map((f) => f.path)).toEqual(['spec.http[0].mirror.subset']);
  });

  test('fails when the gateway does not exist, unless it is declared known', () => {
    // GIVEN a VirtualService bound to a gateway missing from the manifests
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: [web.example.com]
  gateways: [istio-system/public]
  http:
  - route: [{ destination: { host: web, port: { number: 80 } } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'IST0101');

    // THEN
    expect(findings.map((f) => [f.path, f.message])).toEqual([[
      'spec.gateways[0]',
      "gateway 'istio-system/public' is not among the manifests (gateways: default/gw): the VirtualService is bound to nothing there",
    ]]);
    expect(findingsOf(yaml, 'IST0101', { knownGateways: ['istio-system/public'] })).toEqual([]);
  });

  test('fails when a bare gateway name resolves to the VirtualService namespace', () => {
    // GIVEN gateway 'gw' referenced from namespace 'shop', while gw lives in 'default'
    const yaml = GATEWAY + app('web', 'shop') + virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - route: [{ destination: { host: web, port: { number: 80 } } }]`, 'shop');

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0101').map((f) => f.message)).toEqual([
      "gateway 'gw' (resolved to 'shop/gw') is not among the manifests (gateways: default/gw): the VirtualService is bound to nothing there",
    ]);
  });

  test('fails when the destination host is not a Service, unless it is declared known', () => {
    // GIVEN a route to 'reviews' with no such Service
    const yaml = virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: reviews, subset: v1 } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'IST0101');

    // THEN the host is reported once (its subset is not checked on top)
    expect(findings.map((f) => [f.path, f.message])).toEqual([[
      'spec.http[0].route[0].destination.host',
      "destination host 'reviews' (resolved to 'reviews.default.svc.cluster.local') is not a Service or ServiceEntry in the manifests: istiod drops routes to unknown hosts",
    ]]);
    expect(findingsOf(yaml, 'IST0101', { knownHosts: ['reviews.default.svc.cluster.local'] })).toEqual([]);
  });

  test('accepts ServiceEntry hosts, wildcard ones included', () => {
    // GIVEN a ServiceEntry for *.example.org
    const yaml = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext }
spec: { hosts: ['*.example.org'], ports: [{ number: 443, name: tls, protocol: TLS }] }
---` + virtualService('ext', `  hosts: [api.example.org]
  tls:
  - match: [{ sniHosts: [api.example.org] }]
    route: [{ destination: { host: api.example.org } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });

  test('fails when the destination port is not a port of the Service', () => {
    // GIVEN a route to port 8080 of a Service that has only port 80
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web, subset: blue, port: { number: 8080 } } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0101').map((f) => [f.path, f.message])).toEqual([[
      'spec.http[0].route[0].destination.port.number',
      "port 8080 is not a port of Service 'web.default.svc.cluster.local' (ports: 80): the cluster does not exist, requests get 503",
    ]]);
  });
});

describe('IST0112 destination port required', () => {
  const twoPorts = service('web', 'default', '{ app: web }', '[{ name: http, port: 80 }, { name: http-admin, port: 9000 }]');

  test('fails when a gateway route to a multi-port Service has no port', () => {
    // GIVEN a gateway-only VirtualService routing without a port
    const yaml = twoPorts + GATEWAY + virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - route: [{ destination: { host: web } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0112').map((f) => [f.path, f.message])).toEqual([[
      'spec.http[0].route[0].destination',
      "destination 'web.default.svc.cluster.local' has no port but the Service has 2 ports (80, 9000): a gateway forwards to the port the request arrived on, which the Service does not serve",
    ]]);
  });

  test('accepts a mesh route without a port: sidecars keep the request port', () => {
    // GIVEN the same route on the mesh
    const yaml = twoPorts + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});

describe('ISTT007 match-level gateway not bound', () => {
  test('fails when a match names a gateway missing from spec.gateways', () => {
    // GIVEN a mesh-only VirtualService with a match restricted to gateway gw
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: [web]
  http:
  - match: [{ gateways: [gw], uri: { prefix: /admin } }]
    route: [{ destination: { host: web, subset: blue } }]
  - route: [{ destination: { host: web, subset: green } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT007');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([[
      FindingSeverity.WARNING,
      'spec.http[0].match[0].gateways[0]',
      "match-level gateway 'gw' is not among the VirtualService's gateways (mesh): istiod indexes a VirtualService only under its top-level gateways, so this match never applies",
    ]]);
  });
});
