import { findingsOf } from './fixtures';
import { FindingSeverity } from '../../src';

// Seed 000 (pii-demo blue/green) as published: the host-header matches and the Service/DR setup.
const SEED_000 = `
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: { name: pii-demo-gateway, namespace: pii-demo }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---
apiVersion: v1
kind: Service
metadata: { name: httpd-server, namespace: pii-demo, labels: { app: httpd-server } }
spec:
  selector: { app: httpd-server }
  type: NodePort
  ports: [{ name: http-80, port: 80, protocol: TCP, targetPort: 80, nodePort: 30080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpd-server-blue, namespace: pii-demo }
spec:
  selector: { matchLabels: { app: httpd-server, version: blue } }
  template: { metadata: { labels: { app: httpd-server, version: blue } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpd-server-green, namespace: pii-demo }
spec:
  selector: { matchLabels: { app: httpd-server, version: green } }
  template: { metadata: { labels: { app: httpd-server, version: green } } }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: httpd-server, namespace: pii-demo }
spec:
  hosts: [pii-demo.apps.hl.test, pii-demo-blue.apps.hl.test, pii-demo-green.apps.hl.test, httpd-server]
  gateways: [mesh, pii-demo-gateway]
  http:
  - match:
    - headers: { host: { exact: 'pii-demo-blue.apps.hl.test' } }
      gateways: [pii-demo-gateway]
    - sourceLabels: { version: blue }
    route: [{ destination: { host: httpd-server, port: { number: 80 }, subset: blue } }]
  - match:
    - headers: { host: { exact: 'pii-demo-green.apps.hl.test' } }
      gateways: [pii-demo-gateway]
    - sourceLabels: { version: green }
    route: [{ destination: { host: httpd-server, port: { number: 80 }, subset: green } }]
  - match:
    - headers: { host: { exact: 'pii-demo.apps.hl.test' } }
      gateways: [pii-demo-gateway]
    route: [{ destination: { host: httpd-server, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: httpd-server, namespace: pii-demo }
spec:
  host: httpd-server
  subsets: [{ name: blue, labels: { version: blue } }, { name: green, labels: { version: green } }]
`;

describe('seed 000 (pii-demo)', () => {
  test('fails on each host-header match, which Envoy never sees', () => {
    // WHEN
    const findings = findingsOf(SEED_000);

    // THEN exactly the three host-header matches are reported, all as errors
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.name, f.path])).toEqual([
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[0].match[0].headers.host'],
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[1].match[0].headers.host'],
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[2].match[0].headers.host'],
    ]);
    expect(findings[0].message).toBe('headers match on \'host\' ({"exact":"pii-demo-blue.apps.hl.test"}) never matches: Envoy keeps the Host header as \':authority\'');
  });

  test('fails when the article\'s Service also selected on version (the classic mistake)', () => {
    // GIVEN the Service selecting version: blue
    const yaml = SEED_000.replace('selector: { app: httpd-server }', 'selector: { app: httpd-server, version: blue }');

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT001').map((f) => [f.name, f.path])).toEqual([['httpd-server', 'spec.selector.version']]);
    expect(findingsOf(yaml, 'IST0173').map((f) => f.message)).toEqual([
      "subset 'green' (labels version=green) selects no pod behind Service 'pii-demo/httpd-server' (selector app=httpd-server, version=blue): requests routed to it get 503 UH",
    ]);
  });
});
