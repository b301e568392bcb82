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

    // THEN the host is reported, and the subset too: istiod's DestinationRuleAnalyzer checks it on its own
    expect(findings.map((f) => [f.path, f.message])).toEqual([[
      'spec.http[0].route[0].destination.subset',
      "subset 'v1' of host 'reviews.default.svc.cluster.local' is not defined by any DestinationRule (defined subsets: none): requests routed here get 503 NC",
    ], [
      'spec.http[0].route[0].destination.host',
      "destination host 'reviews' (resolved to 'reviews.default.svc.cluster.local') is not a Service or ServiceEntry visible from namespace 'default': istiod drops routes to unknown hosts",
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

// istiod: pkg/config/analysis/analyzers/virtualservice/destinationhosts.go checkServiceEntryPorts
describe('IST0112 destination port required', () => {
  const twoPorts = service('web', 'default', '{ app: web }', '[{ name: http, port: 80 }, { name: http-admin, port: 9000 }]');

  test('fails when a gateway route to a multi-port Service has no port', () => {
    // GIVEN a gateway-only VirtualService routing without a port
    const yaml = twoPorts + GATEWAY + virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - route: [{ destination: { host: web } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml).map((f) => [f.code, f.severity, f.name, f.path, f.message])).toEqual([[
      'IST0112', FindingSeverity.ERROR, 'web', 'spec.http[0].route[0].destination',
      "destination 'web.default.svc.cluster.local' has no port but Service 'web.default.svc.cluster.local' has 2 ports (80, 9000): istio requires the port to be named to choose the cluster (a gateway forwards to the port the request arrived on, which may not be served)",
    ]]);
  });

  test('fails for mesh routes too, http, tcp and mirrors, to Services and ServiceEntries with several ports', () => {
    // GIVEN mesh VirtualServices in two namespaces routing without a port to a two-port Service, to
    // a two-port ServiceEntry, and with a port (or to a one-port ServiceEntry) where nothing is wrong
    const yaml = twoPorts + `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: partner, namespace: shop }
spec: { hosts: [api.partner.com], ports: [{ number: 80, name: http, protocol: HTTP }, { number: 443, name: tls, protocol: TLS }] }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: single, namespace: shop }
spec: { hosts: [one.partner.com], ports: [{ number: 443, name: tls, protocol: TLS }] }
---` + virtualService('web', `  hosts: [web]
  http:
  - route: [{ destination: { host: web } }]
    mirror: { host: web }
  tcp:
  - route: [{ destination: { host: web } }]`)
      + virtualService('partner', `  hosts: [api.partner.com]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    route: [{ destination: { host: api.partner.com } }]
  - route: [{ destination: { host: api.partner.com, port: { number: 80 } } }]
  tls:
  - match: [{ sniHosts: [api.partner.com] }]
    route: [{ destination: { host: one.partner.com } }]`, 'shop');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN every destination without a port to a multi-port entry is reported, nothing else
    expect(findings.map((f) => [f.code, f.namespace, f.name, f.path])).toEqual([
      ['IST0112', 'shop', 'partner', 'spec.http[0].route[0].destination'],
      ['IST0112', 'default', 'web', 'spec.http[0].route[0].destination'],
      ['IST0112', 'default', 'web', 'spec.http[0].mirror'],
      ['IST0112', 'default', 'web', 'spec.tcp[0].route[0].destination'],
    ]);
    expect(findings[0].message).toContain("ServiceEntry 'shop/partner' has 2 ports (80, 443)");
  });
});

// istiod: pkg/config/analysis/analyzers/util/service_lookup.go (InitServiceEntryHostMap, GetDestinationHost)
describe('IST0101 host visibility (exportTo)', () => {
  const entry = (name: string, ns: string, hosts: string, exportTo: string) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${ns} }
spec: { hosts: ${hosts}, exportTo: ${exportTo}, ports: [{ number: 443, name: tls, protocol: TLS }] }
---`;
  const annotated = (name: string, ns: string, exportTo: string) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns}, annotations: { networking.istio.io/exportTo: '${exportTo}' } }
spec: { ports: [{ name: http, port: 80 }] }
---`;
  const tlsRoute = (host: string) => `  - match: [{ sniHosts: [${host}] }]\n    route: [{ destination: { host: ${host} } }]`;

  test('a host counts as known only where its ServiceEntry or Service is exported', () => {
    // GIVEN in namespace partners a catch-all ServiceEntry (hosts ['*']) exported to '.', in
    // billing a ServiceEntry exported to shop and Services annotated exportTo '.' and 'shop', and
    // VirtualServices of shop, partners and of shop exported to team-x
    const yaml = entry('any', 'partners', "['*']", '[.]')
      + entry('pay', 'billing', '[pay.example.com]', '[shop]')
      + entry('fx', 'billing', '[fx.example.com]', '[team-x]')
      + annotated('ledger', 'billing', '.') + annotated('catalog', 'billing', 'shop, team-x')
      + virtualService('shop', `  hosts: [shop.example.com]
  http:
  - match: [{ uri: { prefix: /ledger } }]
    route: [{ destination: { host: ledger.billing.svc.cluster.local } }]
  - route: [{ destination: { host: catalog.billing.svc.cluster.local } }]
  tls:
${tlsRoute('api.partner.com')}
${tlsRoute('pay.example.com')}`, 'shop')
      + virtualService('partners', `  hosts: [partners.example.com]
  tls:
${tlsRoute('api.partner.com')}`, 'partners')
      + virtualService('team-x', `  hosts: [x.example.com]
  exportTo: [team-x]
  tls:
${tlsRoute('fx.example.com')}
${tlsRoute('pay.example.com')}`, 'shop');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN shop cannot see ledger (exported to billing only) nor the catch-all of partners, and the
    // VirtualService exported to team-x cannot route to pay (exported to shop): nothing else
    expect(findings.map((f) => [f.code, f.namespace, f.name, f.path])).toEqual([
      ['IST0101', 'shop', 'shop', 'spec.http[0].route[0].destination.host'],
      ['IST0101', 'shop', 'shop', 'spec.tls[0].route[0].destination.host'],
      ['IST0101', 'shop', 'team-x', 'spec.tls[1].route[0].destination.host'],
    ]);
    expect(findings[0].message).toBe("destination host 'ledger.billing.svc.cluster.local' is not a Service or ServiceEntry visible from namespace 'shop': istiod drops routes to unknown hosts");
    expect(findings[2].message).toContain('visible from the namespaces the VirtualService is exported to (team-x)');
  });
});

// istiod: pkg/config/analysis/analyzers/virtualservice/gateways.go
describe('IST0101 Gateway API parents', () => {
  test('a VirtualService bound to a Gateway API Gateway references an existing gateway', () => {
    // GIVEN a gateway.networking.k8s.io Gateway infra/web-gw, a VirtualService in shop bound to it
    // and to a Gateway that exists in neither API
    const yaml = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web-gw, namespace: infra }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP }]
---` + app('web', 'shop') + virtualService('web', `  hosts: [web.example.com]
  gateways: [infra/web-gw, infra/missing]
  http:
  - route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]`, 'shop');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN only the missing one is reported
    // (istiod's virtualservice/gateways.go reports IST0132 next to IST0101 for a missing Gateway)
    expect(findings.map((f) => [f.code, f.namespace, f.name, f.path, f.message])).toEqual([[
      'IST0101', 'shop', 'web', 'spec.gateways[1]',
      "gateway 'infra/missing' is not among the manifests (gateways: infra/web-gw): the VirtualService is bound to nothing there",
    ], [
      'IST0132', 'shop', 'web', 'spec.gateways[1]',
      "hosts web.example.com are not served by gateway 'infra/missing': Gateway 'infra/missing' is not among the manifests, so the VirtualService binds to nothing there",
    ]]);
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
