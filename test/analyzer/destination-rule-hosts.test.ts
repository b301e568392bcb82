import { findingsOf, service, summaryOf } from './fixtures';
import { FindingSeverity } from '../../src';

/**
 * IST0174 UnknownDestinationRuleHost, as istiod's analyzer reports it
 * (pkg/config/analysis/analyzers/destinationrule/subset.go, with
 * pkg/config/analysis/analyzers/util/service_lookup.go `InitServiceEntryHostMap`,
 * `GetDestinationHost`; testdata destinationrule-with-fake-host.yaml): the DestinationRule's host is
 * no Service or ServiceEntry visible from its namespace. Short hosts resolve in the DestinationRule's
 * namespace; ServiceEntry `exportTo` and the Service annotation `networking.istio.io/exportTo` limit
 * visibility; wildcard ServiceEntry hosts match by suffix.
 */

function destinationRule(ns: string, name: string, host: string, exportTo?: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
  host: '${host}'
  trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }${exportTo ? `\n  exportTo: ${exportTo}` : ''}
---`;
}

function serviceEntry(ns: string, name: string, hosts: string, exportTo?: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${ns} }
spec:
  hosts: ${hosts}
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]${exportTo ? `\n  exportTo: ${exportTo}` : ''}
---`;
}

const PRIVATE_SERVICE = `
apiVersion: v1
kind: Service
metadata: { name: ledger, namespace: bank, annotations: { networking.istio.io/exportTo: '.' } }
spec: { selector: { app: ledger }, ports: [{ name: http, port: 80 }] }
---`;

describe('IST0174 unknown DestinationRule host', () => {
  test('reports a host that is no Service, and a short host resolved in the wrong namespace', () => {
    // GIVEN istiod's fake host, reviews in default, and DestinationRules naming it fully and by short name
    const yaml = service('reviews', 'default')
      + destinationRule('default', 'fake-host', 'fake-svc.default.svc.cluster.local')
      + destinationRule('default', 'reviews', 'reviews')
      + destinationRule('istio-system', 'reviews-mesh-wide', 'reviews.default.svc.cluster.local')
      + destinationRule('istio-system', 'reviews-short', 'reviews');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path}`)).toEqual([
      'IST0174 WARNING DestinationRule default/fake-host spec.host',
      'IST0174 WARNING DestinationRule istio-system/reviews-short spec.host',
    ]);
    expect(findings[0].severity).toBe(FindingSeverity.WARNING);
    expect(findings[0].message).toBe("host 'fake-svc.default.svc.cluster.local' matches no Service or ServiceEntry visible from namespace default: the DestinationRule applies to no traffic");
  });

  test('Service exportTo annotations and ServiceEntry exportTo limit which namespaces know a host', () => {
    // GIVEN a Service exported only to its namespace, a ServiceEntry exported only to egress, and
    // DestinationRules for both inside and outside those namespaces
    const yaml = PRIVATE_SERVICE
      + serviceEntry('egress', 'partner', '[api.partner.com]', "['.']")
      + destinationRule('bank', 'ledger', 'ledger')
      + destinationRule('shop', 'ledger-from-shop', 'ledger.bank.svc.cluster.local')
      + destinationRule('egress', 'partner', 'api.partner.com')
      + destinationRule('shop', 'partner-from-shop', 'api.partner.com');

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([
      'IST0174 WARNING DestinationRule shop/ledger-from-shop spec.host',
      'IST0174 WARNING DestinationRule shop/partner-from-shop spec.host',
    ]);
  });

  test('a DestinationRule exportTo names the namespaces whose hosts it may use', () => {
    // GIVEN a DestinationRule in shop exported to egress, for the ServiceEntry exported to egress only
    const yaml = serviceEntry('egress', 'partner', '[api.partner.com]', "['.']")
      + destinationRule('shop', 'partner-for-egress', 'api.partner.com', "['egress']");

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('wildcard ServiceEntry hosts match by suffix, within their exportTo', () => {
    // GIVEN *.example.org for all namespaces, and '*' exported to team only
    const yaml = serviceEntry('egress', 'org', "['*.example.org']")
      + serviceEntry('team', 'anything', "['*']", "['.']")
      + destinationRule('shop', 'wiki', 'wiki.example.org')
      + destinationRule('shop', 'all-org', '*.example.org')
      + destinationRule('team', 'whatever', 'whatever.example.net')
      + destinationRule('shop', 'whatever', 'whatever.example.net');

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual(['IST0174 WARNING DestinationRule shop/whatever spec.host']);
  });

  test('knownHosts exist, and system namespaces are not analyzed', () => {
    // GIVEN DestinationRules for a host outside the manifests and one in kube-system
    const yaml = destinationRule('default', 'payments', 'payments.billing.svc.cluster.local')
      + destinationRule('kube-system', 'dns', 'kube-dns');

    // WHEN / THEN
    expect(summaryOf(yaml, { knownHosts: ['payments.billing.svc.cluster.local'] })).toEqual([]);
  });
});
