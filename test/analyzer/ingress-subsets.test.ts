import { deployment, destinationRule, findingsOf, gateway, service, summaryOf, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

/**
 * IST0140 IngressRouteRulesNotAffected, as istiod's analyzer reports it
 * (pkg/config/analysis/analyzers/virtualservice/destinationhosts.go `analyzeSubset`,
 * `initVirtualServiceDestinations`; testdata virtualservice_route_rule_no_effects_ingress.yaml): a
 * VirtualService with `gateways` routes to a host without a subset while another VirtualService for
 * that host (hosts compared as written) routes it to subsets. The gateway goes straight to the host's
 * endpoints, so the subset split does not apply to those requests. One finding per pair.
 * Deliberately narrower than istiod: equal short names in different namespaces do not meet, and
 * subset routes only `sourceLabels`-selected callers take, and a VirtualService's own subset routes,
 * do not count.
 */

const INGRESS = '{ istio: ingressgateway }';
const http = (host: string) => `[{ port: { number: 80, name: http, protocol: HTTP }, hosts: [${host}] }]`;

/** ratings in default: Service, v1 pods, DestinationRule with subset v1. */
const RATINGS = service('ratings') + deployment('ratings', 'v1') + destinationRule('ratings', ['v1']);

describe('IST0140 ingress route rules not affected', () => {
  test('reports the gateway VirtualService that bypasses the subsets of the mesh VirtualService', () => {
    // GIVEN (as istiod's testdata) Gateways in istio-system, a VirtualService in default routing
    // testing-01.com to ratings without subset, one routing testing-02.com to subset v1, and the
    // mesh VirtualService for ratings routing to subset v1
    const yaml = RATINGS
      + gateway('istio-system', 'testing-gateway-01', INGRESS, http('testing-01.com'))
      + gateway('istio-system', 'testing-gateway-02', INGRESS, http('testing-02.com'))
      + virtualService('testing-01', `  gateways: [istio-system/testing-gateway-01]
  hosts: [testing-01.com]
  http:
  - route: [{ destination: { host: ratings } }]`)
      + virtualService('testing-02', `  gateways: [istio-system/testing-gateway-02]
  hosts: [testing-02.com]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]`)
      + virtualService('ratings-01', `  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]`);

    // WHEN
    const findings = findingsOf(yaml);

    // THEN
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path}`)).toEqual([
      'IST0140 WARNING VirtualService default/testing-01 spec.http[0].route[0].destination',
    ]);
    expect(findings[0].severity).toBe(FindingSeverity.WARNING);
    expect(findings[0].message).toBe("destination 'ratings' has no subset, so the subsets VirtualService default/ratings-01 routes 'ratings' to "
      + "have no effect on requests this route sends (the gateway goes straight to the host's endpoints)");
  });

  test('one finding per pair, each subset VirtualService named; a VirtualService listing only mesh counts too, as in istiod', () => {
    // GIVEN two routes without subset in a VirtualService bound explicitly to mesh, and two
    // VirtualServices (default and canary namespace) splitting the host as written
    const yaml = RATINGS + service('reviews', 'default')
      + virtualService('reviews', `  hosts: [reviews]
  gateways: [mesh]
  http:
  - match: [{ uri: { prefix: /a } }]
    route: [{ destination: { host: ratings } }]
  - route: [{ destination: { host: ratings } }]`)
      + virtualService('ratings-01', `  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]`)
      + virtualService('ratings-02', `  hosts: [ratings]
  exportTo: ['.']
  http:
  - match: [{ headers: { x-canary: { exact: '1' } } }]
    route: [{ destination: { host: ratings, subset: v1 } }]`);

    // WHEN / THEN (IST0109: the two ratings VirtualServices also claim one mesh host)
    expect(summaryOf(yaml, { ignoreCodes: ['IST0109'] })).toEqual([
      'IST0140 WARNING VirtualService default/reviews spec.http[0].route[0].destination',
      'IST0140 WARNING VirtualService default/reviews spec.http[0].route[0].destination',
    ]);
    expect(findingsOf(yaml, 'IST0140').map((f) => f.message.match(/VirtualService (\S+)/)![1])).toEqual(['default/ratings-01', 'default/ratings-02']);
  });

  test('hosts are compared as written: a fully qualified destination does not meet a short mesh host', () => {
    // GIVEN the gateway route names ratings by its FQDN, the mesh VirtualService by its short name
    const yaml = RATINGS
      + gateway('istio-system', 'public', INGRESS, http('testing-01.com'))
      + virtualService('testing-01', `  gateways: [istio-system/public]
  hosts: [testing-01.com]
  http:
  - route: [{ destination: { host: ratings.default.svc.cluster.local } }]`)
      + virtualService('ratings-01', `  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]`);

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('equal short names in different namespaces are different hosts', () => {
    // GIVEN a gateway VirtualService in shop routing to its own 'ratings', and the mesh
    // VirtualService of default splitting default's 'ratings' (istiod compares only the text)
    const yaml = RATINGS + service('ratings', 'shop')
      + gateway('istio-system', 'public', INGRESS, http('shop.example.com'))
      + virtualService('shop', `  gateways: [istio-system/public]
  hosts: [shop.example.com]
  http:
  - route: [{ destination: { host: ratings } }]`, 'shop')
      + virtualService('ratings-01', `  hosts: [ratings]
  http:
  - route: [{ destination: { host: ratings, subset: v1 } }]`);

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('version affinity (subset routes for sourceLabels callers) and a VirtualService\'s own subsets are not counted', () => {
    // GIVEN a gateway VirtualService that routes one host to subsets and another without, and a
    // mesh VirtualService whose only subset routes serve callers selected by sourceLabels
    const yaml = RATINGS
      + gateway('istio-system', 'public', INGRESS, http("'*'"))
      + virtualService('ratings-ingress', `  gateways: [istio-system/public, mesh]
  hosts: [ratings.example.com, ratings]
  http:
  - match: [{ headers: { x-version: { exact: v1 } } }]
    route: [{ destination: { host: ratings, subset: v1 } }]
  - route: [{ destination: { host: ratings } }]`, 'default')
      + virtualService('ratings-affinity', `  hosts: [ratings]
  exportTo: ['.']
  http:
  - match: [{ sourceLabels: { version: v1 } }]
    route: [{ destination: { host: ratings, subset: v1 } }]
  - route: [{ destination: { host: ratings } }]`);

    // WHEN / THEN
    expect(summaryOf(yaml, { ignoreCodes: ['IST0109'] })).toEqual([]);
  });
});
