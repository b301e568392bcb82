import { findingsOf, summaryOf } from './fixtures';
import { FindingSeverity } from '../../src';

/**
 * IST0150 ExternalNameServiceTypeInvalidPortName, as istiod's analyzer reports it
 * (pkg/config/analysis/analyzers/service/portname.go; testdata
 * incorrect-port-name-external-name-service-type.yaml): an ExternalName Service with a port whose
 * name declares no protocol, or is just `tcp`. istioctl reports it instead of IST0118, once per
 * Service (the message names no port), and skips control-plane and gateway-managed Services and the
 * system namespaces it never reads.
 */

function externalName(ns: string, name: string, ports: string, labels = '{}'): string {
  return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns}, labels: ${labels} }
spec:
  type: ExternalName
  externalName: nginx.example.com
  ports: ${ports}
---`;
}

describe('IST0150 ExternalName service with an invalid port name', () => {
  test('reports a port named after no protocol, an unnamed port and a port named tcp, in their own namespaces', () => {
    // GIVEN istiod's three ExternalName Services, and one with two bad ports
    const yaml = externalName('nginx-ns', 'nginx', '[{ name: nginx, port: 443, protocol: TCP, targetPort: 443 }]')
      + externalName('nginx-ns2', 'nginx-svc2', '[{ port: 443, protocol: TCP, targetPort: 443 }]')
      + externalName('nginx-ns3', 'nginx-svc3', '[{ name: tcp, port: 443, protocol: TCP, targetPort: 443 }]')
      + externalName('nginx-ns4', 'nginx-svc4', '[{ name: tcp-443, port: 443 }, { name: admin, port: 8443 }, { name: web, port: 8080 }]');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN one finding per Service, at its first bad port, and no IST0118
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path}`)).toEqual([
      'IST0150 WARNING Service nginx-ns/nginx spec.ports[0]',
      'IST0150 WARNING Service nginx-ns2/nginx-svc2 spec.ports[0]',
      'IST0150 WARNING Service nginx-ns3/nginx-svc3 spec.ports[0]',
      'IST0150 WARNING Service nginx-ns4/nginx-svc4 spec.ports[1]',
    ]);
    expect(findings[0].severity).toBe(FindingSeverity.WARNING);
    expect(findings[0].message).toBe("port 443 of ExternalName Service 'nginx' is named 'nginx': the sidecar may not forward TCP traffic to the external name correctly");
  });

  test('accepts protocol names with suffixes and well-known ports, and skips control-plane, gateway-managed and system-namespace Services', () => {
    // GIVEN valid ExternalName Services, and invalid ones Istio leaves alone
    const yaml = externalName('nginx-ns', 'nginx', '[{ name: tcp-nginx, port: 443 }, { name: https, port: 8443 }, { name: mysql, port: 3306 }, { port: 53 }]')
      + externalName('istio-system', 'egress', '[{ name: nginx, port: 443 }]', '{ istio: egressgateway }')
      + externalName('shop', 'helm-installed', '[{ name: nginx, port: 443 }]', '{ release: istio }')
      + externalName('shop', 'waypoint', '[{ name: nginx, port: 443 }]', "{ 'gateway.istio.io/managed': istio.io-mesh-controller }")
      + externalName('kube-system', 'dns-alias', '[{ name: nginx, port: 443 }]');

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual([]);
  });

  test('other Services keep IST0118 for the same port name', () => {
    // GIVEN a ClusterIP Service with the port name that makes an ExternalName Service IST0150
    const yaml = `
apiVersion: v1
kind: Service
metadata: { name: nginx, namespace: web }
spec: { selector: { app: nginx }, ports: [{ name: nginx, port: 443 }] }
`;

    // WHEN / THEN
    expect(summaryOf(yaml)).toEqual(['IST0118 INFO Service web/nginx spec.ports[0]']);
  });
});
