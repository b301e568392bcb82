import { findingsOf, gateway, service, summaryOf, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

/**
 * IST0132 VirtualServiceHostNotFoundInGateway, as istiod's analyzer reports it
 * (pkg/config/analysis/analyzers/virtualservice/gateways.go `vsHostInGateway`,
 * `vsHostInKubernetesGateway`; testdata virtualservice_host_not_found_gateway_with_ns_prefix.yaml,
 * virtualservice_gateways.yaml, virtualservice_kubernetes_gateways.yaml): per `gateways` entry, no
 * host of the VirtualService matches a host of any server of the Gateway, where a server host
 * `ns/host` counts only for VirtualServices in `ns` (`./` is the Gateway's namespace, `*` any).
 */

const INGRESS = '{ istio: ingressgateway }';
const http = (hosts: string) => `{ port: { number: 80, name: http, protocol: HTTP }, hosts: ${hosts} }`;

/** A VirtualService `ns/name` for `host`, bound to `gateways`, routing to the Service `web` of its namespace. */
function boundTo(ns: string, name: string, host: string, gateways: string): string {
  return virtualService(name, `  hosts: ['${host}']
  gateways: ${gateways}
  http:
  - route: [{ destination: { host: web } }]`, ns);
}

describe('IST0132 VirtualService host not found in gateway', () => {
  test('server host namespaces decide which VirtualServices a Gateway serves', () => {
    // GIVEN a shared Gateway in istio-system whose servers restrict some hosts to namespaces, and
    // VirtualServices in istio-system, shop and default
    const yaml = gateway('istio-system', 'public', INGRESS, `[${http("['./admin.example.com', 'shop/shop.example.com', '*/docs.example.com', '*.example.org']")}]`)
      + service('web', 'istio-system') + service('web', 'shop') + service('web', 'default')
      + boundTo('istio-system', 'admin', 'admin.example.com', '[public]')
      + boundTo('default', 'admin-elsewhere', 'admin.example.com', '[istio-system/public]')
      + boundTo('shop', 'shop', 'shop.example.com', '[istio-system/public]')
      + boundTo('default', 'shop-elsewhere', 'shop.example.com', '[istio-system/public]')
      + boundTo('default', 'docs', 'docs.example.com', '[istio-system/public]')
      + boundTo('default', 'wiki', 'wiki.example.org', '[istio-system/public]')
      + boundTo('default', 'all-org', '*.org', '[istio-system/public, mesh]');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN only the VirtualServices outside the namespace a server host names are reported
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path}`)).toEqual([
      'IST0132 WARNING VirtualService default/admin-elsewhere spec.gateways[0]',
      'IST0132 WARNING VirtualService default/shop-elsewhere spec.gateways[0]',
    ]);
    expect(findings[0].severity).toBe(FindingSeverity.WARNING);
    expect(findings[0].message).toBe("hosts admin.example.com are not served by gateway 'istio-system/public': no server of Gateway 'istio-system/public' "
      + 'declares any of them for namespace default, so the VirtualService binds to nothing there');
  });

  test('a Gateway without servers serves no host; a missing Gateway is also reported as not found, as istiod does', () => {
    // GIVEN (like istiod's virtualservice_gateways.yaml) a Gateway without servers, and a reference to a missing Gateway
    const yaml = service('web', 'default')
      + gateway('another', 'crossnamespace-gw', INGRESS, '[]')
      + boundTo('default', 'cross-test', '*', '[another/crossnamespace-gw]')
      + boundTo('default', 'httpbin-bogus', '*', '[httpbin-gateway-bogus]')
      + boundTo('default', 'httpbin-mesh', '*', '[mesh]');

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([
      'IST0101 ERROR VirtualService default/httpbin-bogus spec.gateways[0]',
      'IST0132 WARNING VirtualService default/cross-test spec.gateways[0]',
      'IST0132 WARNING VirtualService default/httpbin-bogus spec.gateways[0]',
    ]);
    // a Gateway declared to exist outside the manifests has unknown servers: nothing is reported for it
    expect(summaryOf(yaml, { knownGateways: ['default/httpbin-gateway-bogus'] })).toEqual([
      'IST0132 WARNING VirtualService default/cross-test spec.gateways[0]',
    ]);
  });

  test('each Gateway entry is judged on its own, and a repeated entry is one finding', () => {
    // GIVEN a VirtualService bound to a Gateway serving its host and to one that does not, twice
    const yaml = service('web', 'shop')
      + gateway('shop', 'shop-gw', INGRESS, `[${http('[shop.example.com]')}]`)
      + gateway('shop', 'api-gw', INGRESS, `[${http('[api.example.com]')}]`)
      + boundTo('shop', 'shop', 'shop.example.com', '[shop-gw, api-gw, shop/api-gw]');

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual(['IST0132 WARNING VirtualService shop/shop spec.gateways[1]']);
  });

  test('Gateway API Gateways bind by listener hostname; a listener without hostname accepts every host', () => {
    // GIVEN a Gateway API Gateway with one listener for example.com and one without hostname
    const k8sGateway = (name: string, listeners: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: default }
spec:
  gatewayClassName: istio
  listeners: ${listeners}
---`;
    const yaml = service('web', 'default')
      + k8sGateway('my-gateway', '[{ name: http, hostname: example.com, port: 80, protocol: HTTP }]')
      + k8sGateway('open-gateway', '[{ name: http, port: 80, protocol: HTTP }]')
      + boundTo('default', 'my-vs', 'example.com', '[default/my-gateway]')
      + boundTo('default', 'my-vs-host-mismatch', 'wrong.example.com', '[default/my-gateway]')
      + boundTo('default', 'open-vs', 'wrong.example.com', '[default/open-gateway]');

    // WHEN / THEN the Gateway API Gateways exist, and only the host mismatch is reported
    expect(summaryOf(yaml)).toEqual(['IST0132 WARNING VirtualService default/my-vs-host-mismatch spec.gateways[0]']);
  });
});
