import { app, findingsOf, service, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

describe('ISTT003 / ISTT004 prefix rewrites', () => {
  test('fails when prefix /v1 with rewrite / produces a double slash', () => {
    // GIVEN the classic istio/istio#26828 rewrite
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT003');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message, f.fix])).toEqual([[
      FindingSeverity.ERROR, 'spec.http[0].match[0].uri.prefix',
      "prefix '/v1' with rewrite.uri '/' turns '/v1/users' into '//users': the rewrite replaces only the matched characters, leaving a double slash",
      "match prefix '/v1/' with rewrite '/', plus exact '/v1' with rewrite '/' in a second rule",
    ]]);
  });

  test('fails (warning) when prefix /v1/ with rewrite /api glues segments', () => {
    // GIVEN a trailing-slash prefix and a rewrite without one
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1/ } }]
    rewrite: { uri: /api }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT004').map((f) => [f.severity, f.message])).toEqual([[
      FindingSeverity.WARNING, "prefix '/v1/' with rewrite.uri '/api' turns '/v1/users' into '/apiusers': the remaining path is glued onto the rewrite",
    ]]);
  });

  test('accepts the two-rule form and exact matches', () => {
    // GIVEN /v1/ -> / and exact /v1 -> /
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1/ } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]
  - match: [{ uri: { exact: /v1 } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});

describe('IST0118 port name without protocol', () => {
  test('fails for a port named without a protocol prefix', () => {
    // GIVEN ports 'web' (no protocol), 'http-api', appProtocol grpc and well-known 3306
    const yaml = service('web', 'default', '{ app: web }', '[{ name: web, port: 8080 }, { name: http-api, port: 80 }, { name: x, port: 9000, appProtocol: grpc }, { port: 3306 }]');

    // WHEN
    const findings = findingsOf(yaml, 'IST0118');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.path, f.message])).toEqual([[
      FindingSeverity.INFO, 'Service', 'spec.ports[0]',
      "port 8080 has name 'web' and no appProtocol, so istio guesses its protocol by sniffing: it must be one of http, http2, http_proxy, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp, optionally followed by '-<suffix>'",
    ]]);
  });

  // istiod: pkg/config/analysis/analyzers/service/portname.go, pkg/config/kube/conversion.go
  // ConvertProtocol, pkg/config/analysis/local/istiod_analyze.go (IgnoredNamespaces)
  test('follows istiod: appProtocol alone when set, control-plane, gateway-managed and system-namespace Services exempt', () => {
    // GIVEN Services across namespaces: appProtocol overriding a good or bad name, Istio's own
    // Services (label 'istio', 'release: istio'), a Service istiod created for a Gateway API
    // Gateway, Services in system namespaces, and an unlabelled Service in istio-system
    const ports = '[{ name: http-web, port: 8080, appProtocol: hbone }, { name: web, port: 8081, appProtocol: http_proxy }, '
      + "{ name: web, port: 8082, appProtocol: 'kubernetes.io/h2c' }, { name: web, port: 8083, appProtocol: http-v2 }]";
    const bad = '[{ name: metrics, port: 9090 }]';
    const labelled = (name: string, ns: string, labels: string) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns}, labels: ${labels} }
spec: { selector: { app: ${name} }, ports: ${bad} }
---`;
    const yaml = service('shop', 'shop', '{ app: shop }', ports)
      + labelled('istiod', 'istio-system', '{ istio: pilot }')
      + labelled('prometheus', 'istio-system', '{ release: istio }')
      + labelled('gw-istio', 'shop', "{ 'gateway.istio.io/managed': istio.io-gateway-controller }")
      + labelled('waypoint', 'shop', "{ 'gateway.istio.io/managed': istio.io-mesh-controller }")
      + labelled('other-managed', 'shop', "{ 'gateway.istio.io/managed': some-controller }")
      + service('kube-dns', 'kube-system', '{ app: dns }', bad) + service('a', 'kube-public', '{ app: a }', bad)
      + service('b', 'kube-node-lease', '{ app: b }', bad) + service('c', 'local-path-storage', '{ app: c }', bad)
      + service('kiali', 'istio-system', '{ app: kiali }', bad) + `
apiVersion: v1
kind: Service
metadata: { name: partner, namespace: shop }
spec: { type: ExternalName, externalName: api.partner.com, ports: ${bad} }
---`;

    // WHEN
    const findings = findingsOf(yaml);

    // THEN only appProtocol 'hbone' (istiod parses no such protocol, whatever the name says), the
    // Service labelled by another controller and the unlabelled istio-system Service are reported
    // (an ExternalName Service's ports are istiod's IST0150, not IST0118)
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.namespace, f.name, f.path])).toEqual([
      ['IST0150', FindingSeverity.WARNING, 'Service', 'shop', 'partner', 'spec.ports[0]'],
      ['IST0118', FindingSeverity.INFO, 'Service', 'shop', 'shop', 'spec.ports[0]'],
      ['IST0118', FindingSeverity.INFO, 'Service', 'shop', 'other-managed', 'spec.ports[0]'],
      ['IST0118', FindingSeverity.INFO, 'Service', 'istio-system', 'kiali', 'spec.ports[0]'],
    ]);
    expect(findings[1].message).toContain("port 8080 has appProtocol 'hbone' (istio then ignores the name)");
  });

  test('is left out with ignoreCodes', () => {
    // GIVEN the same Service, ignoring IST0118
    const yaml = service('web', 'default', '{ app: web }', '[{ name: web, port: 8080 }]');

    // WHEN / THEN
    expect(findingsOf(yaml, undefined, { ignoreCodes: ['IST0118'] })).toEqual([]);
  });
});
