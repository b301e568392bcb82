import { findingsOf, gateway, summaryOf } from './fixtures';
import { FindingSeverity } from '../../src';

/**
 * IST0145 ConflictingGateways, as istiod's analyzer reports it
 * (pkg/config/analysis/analyzers/gateway/conflictinggateway.go, testdata conflicting-gateways*.yaml):
 * Gateways selecting the same workload (equal selectors, or one selector text containing the other
 * with a pod carrying both) declare the same host with the same bind on the same port. Every Gateway
 * of the conflict is reported, once per server.
 */

const INGRESS = '{ istio: ingressgateway }';
const http = (port: number, hosts: string, extra = '') => `{ port: { number: ${port}, name: http-${port}, protocol: HTTP }, hosts: ${hosts}${extra} }`;

/** The ingress gateway Deployment: its pods carry both labels real istio-ingressgateway pods carry. */
const INGRESS_PODS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway, app: istio-ingressgateway } }
  template: { metadata: { labels: { istio: ingressgateway, app: istio-ingressgateway } } }
---`;

describe('IST0145 conflicting gateways', () => {
  test('reports both Gateways, across namespaces, that declare a host on the same port of the same workload', () => {
    // GIVEN the shared ingress Gateway and a team's Gateway both declaring shop.example.com on port 80,
    // a Gateway serving it on 8080, and an internal gateway workload serving it on 80
    const yaml = gateway('istio-system', 'public', INGRESS, `[${http(80, '[shop.example.com, docs.example.com]')}]`)
      + gateway('shop', 'shop-gw', INGRESS, `[${http(80, '[shop.example.com]')}]`)
      + gateway('shop', 'shop-alt-port', INGRESS, `[${http(8080, '[shop.example.com]')}]`)
      + gateway('shop', 'shop-internal', '{ istio: internal-gateway }', `[${http(80, '[shop.example.com]')}]`);

    // WHEN
    const findings = findingsOf(yaml);

    // THEN exactly the two Gateways on the same workload and port are reported, each naming the other
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path}`)).toEqual([
      'IST0145 ERROR Gateway istio-system/public spec.servers[0]',
      'IST0145 ERROR Gateway shop/shop-gw spec.servers[0]',
    ]);
    expect(findings[0].severity).toBe(FindingSeverity.ERROR);
    expect(findings[0].message).toBe('port 80 hosts shop.example.com, docs.example.com are also declared by Gateway shop/shop-gw on the same workload '
      + '(selector istio=ingressgateway) and port: istiod merges both onto one listener, so which server and which Gateway\'s VirtualServices answer '
      + 'depends on creation order (a repeated TLS host is dropped)');
    expect(findings[1].message).toMatch(/^port 80 hosts shop\.example\.com are also declared by Gateway istio-system\/public /);
  });

  test('compares hosts as written, together with bind, and never a Gateway with itself', () => {
    // GIVEN a wildcard and a name it covers, the same host on different bind addresses, and one
    // Gateway repeating a host in two servers
    const yaml = gateway('istio-system', 'wild', INGRESS, `[${http(80, "['*.example.com']")}]`)
      + gateway('shop', 'exact', INGRESS, `[${http(80, '[shop.example.com]')}]`)
      + gateway('a', 'bound-a', INGRESS, `[${http(81, '[api.example.com]', ', bind: 10.0.0.1')}]`)
      + gateway('b', 'bound-b', INGRESS, `[${http(81, '[api.example.com]', ', bind: 10.0.0.2')}]`)
      + gateway('c', 'twice', INGRESS, `[${http(82, '[c.example.com]')}, ${http(82, '[c.example.com]')}]`);

    // WHEN / THEN nothing is reported
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('identical servers of one Gateway are one finding, as istioctl dedupes identical messages', () => {
    // GIVEN a Gateway repeating the same server, and another Gateway with the host
    const yaml = gateway('istio-system', 'public', INGRESS, `[${http(80, '[foo.bar]')}, ${http(80, '[foo.bar]')}]`)
      + gateway('team', 'team-gw', INGRESS, `[${http(80, '[foo.bar]')}]`);

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([
      'IST0145 ERROR Gateway istio-system/public spec.servers[0]',
      'IST0145 ERROR Gateway team/team-gw spec.servers[0]',
    ]);
  });

  test('a selector containing another counts as the same workload only when a pod carries both', () => {
    // GIVEN one Gateway selecting istio=ingressgateway and one selecting it plus app=istio-ingressgateway
    const gateways = gateway('istio-system', 'alpha', INGRESS, `[${http(80, '[foo.bar]')}]`)
      + gateway('istio-system', 'beta', '{ istio: ingressgateway, app: istio-ingressgateway }', `[${http(80, '[foo.bar]')}]`);

    // WHEN the ingress pods are among the manifests
    const withPods = summaryOf(gateways + INGRESS_PODS);
    // WHEN no pod carries both selectors
    const withoutPods = summaryOf(gateways);

    // THEN only with pods are both reported
    expect(withPods).toEqual([
      'IST0145 ERROR Gateway istio-system/alpha spec.servers[0]',
      'IST0145 ERROR Gateway istio-system/beta spec.servers[0]',
    ]);
    expect(withoutPods).toEqual([]);
  });

  test('as istiod, selectors whose texts do not contain each other are not compared, even on shared pods', () => {
    // GIVEN Gateways selecting the same pods through different labels
    const yaml = gateway('istio-system', 'by-istio', INGRESS, `[${http(80, '[foo.bar]')}]`)
      + gateway('istio-system', 'by-app', '{ app: istio-ingressgateway }', `[${http(80, '[foo.bar]')}]`)
      + INGRESS_PODS;

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('every server of the other Gateway on the port counts, not only its last one', () => {
    // GIVEN a Gateway with two servers on port 443 and another repeating the first server's host
    // (istiod's analyzer keeps one server per Gateway and port in its map and would miss this)
    const tls = (host: string, name: string) => `{ port: { number: 443, name: ${name}, protocol: HTTPS }, hosts: [${host}], tls: { mode: SIMPLE, credentialName: ${name} } }`;
    const yaml = gateway('istio-system', 'public', INGRESS, `[${tls('a.example.com', 'a')}, ${tls('b.example.com', 'b')}]`)
      + gateway('team', 'team-gw', INGRESS, `[${tls('a.example.com', 'team')}]`);

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([
      'IST0145 ERROR Gateway istio-system/public spec.servers[0]',
      'IST0145 ERROR Gateway team/team-gw spec.servers[0]',
    ]);
  });
});
