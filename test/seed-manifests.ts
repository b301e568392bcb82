/**
 * Seed 000 (pii-demo blue/green) as the article published it: gateway host-header matches, mesh
 * `sourceLabels` rules and TCP MySQL routes. Shared by the simulator and analyzer tests.
 */
export const SEED_000_PII_DEMO = `
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: { name: pii-demo-gateway, namespace: pii-demo }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 80, name: http, protocol: HTTP }
    hosts: ["*"]
---
apiVersion: v1
kind: Service
metadata: { name: httpd-server, namespace: pii-demo, labels: { app: httpd-server } }
spec:
  selector: { app: httpd-server }
  type: NodePort
  ports:
  - { name: http-80, port: 80, protocol: TCP, targetPort: 80, nodePort: 30080 }
---
apiVersion: v1
kind: Service
metadata: { name: mysql-server, namespace: pii-demo, labels: { app: mysql-server } }
spec:
  selector: { app: mysql-server }
  ports:
  - { name: tcp-3306, port: 3306, protocol: TCP, targetPort: 3306 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpd-server-blue, namespace: pii-demo }
spec:
  selector: { matchLabels: { app: httpd-server, version: blue } }
  template: { metadata: { labels: { app: httpd-server, version: blue } }, spec: { containers: [] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpd-server-green, namespace: pii-demo }
spec:
  selector: { matchLabels: { app: httpd-server, version: green } }
  template: { metadata: { labels: { app: httpd-server, version: green } }, spec: { containers: [] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: mysql-server-blue, namespace: pii-demo }
spec:
  template: { metadata: { labels: { app: mysql-server, version: blue } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: mysql-server-green, namespace: pii-demo }
spec:
  template: { metadata: { labels: { app: mysql-server, version: green } } }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: httpd-server, namespace: pii-demo }
spec:
  hosts:
  - pii-demo.apps.hl.test
  - pii-demo-blue.apps.hl.test
  - pii-demo-green.apps.hl.test
  - httpd-server
  gateways: [mesh, pii-demo-gateway]
  http:
  - match:
    - headers: { host: { exact: pii-demo-blue.apps.hl.test } }
      gateways: [pii-demo-gateway]
    - sourceLabels: { version: blue }
    route:
    - destination: { host: httpd-server, port: { number: 80 }, subset: blue }
  - match:
    - headers: { host: { exact: pii-demo-green.apps.hl.test } }
      gateways: [pii-demo-gateway]
    - sourceLabels: { version: green }
    route:
    - destination: { host: httpd-server, port: { number: 80 }, subset: green }
  - match:
    - headers: { host: { exact: pii-demo.apps.hl.test } }
      gateways: [pii-demo-gateway]
    route:
    - destination: { host: httpd-server, port: { number: 80 } }
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: httpd-server, namespace: pii-demo }
spec:
  host: httpd-server
  subsets:
  - { name: blue, labels: { version: blue } }
  - { name: green, labels: { version: green } }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: mysql-server, namespace: pii-demo }
spec:
  hosts: [mysql-server]
  gateways: [mesh]
  tcp:
  - match: [{ sourceLabels: { version: blue } }]
    route:
    - destination: { host: mysql-server, port: { number: 3306 }, subset: blue }
  - match: [{ sourceLabels: { version: green } }]
    route:
    - destination: { host: mysql-server, port: { number: 3306 }, subset: green }
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: mysql-server, namespace: pii-demo }
spec:
  host: mysql-server
  subsets:
  - { name: blue, labels: { version: blue } }
  - { name: green, labels: { version: green } }
`;

/**
 * Seed 004 (blue/green web-echo behind `service-mesh.dev`) as the article published it, in the
 * namespace it installs into: the rendered VirtualService (its `/v1` rule and the cookie rule shown
 * after it), the DestinationRule and the Service `kubectl get svc` lists. The Gateway's spec is not
 * shown, so it is declared known (`knownGateways`).
 */
export const SEED_004_WEB_ECHO = `
apiVersion: v1
kind: Service
metadata: { name: blue-green-service, namespace: istio-inject-blue-green }
spec:
  selector: { app: web-echo }
  ports: [{ name: http, port: 8600, protocol: TCP }]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: istio-prod-blue-green
  namespace: istio-inject-blue-green
spec:
  hosts:
  - service-mesh.dev
  gateways:
  - istio-service-mesh-tls-gateway
  http:
  - match:
    - uri:
        prefix: /v1
    rewrite:
        uri: /
    route:
    - destination:
        host: blue-green-service
        subset: v1
        port:
          number: 8600
  - match:
    - uri:
        prefix: "/"
      headers:
        Cookie:
          regex: "^(.*?; )?(x-version=v2)(;.*)?$"
    rewrite:
      uri: /
    route:
    - destination:
        host: blue-green-service
        subset: v2
        port:
          number: 8600
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata:
  name: istio-prod-blue-green-destination
  namespace: istio-inject-blue-green
spec:
  host: blue-green-service
  subsets:
  - name: v1
    labels:
      version: blue-web-echo
  - name: v2
    labels:
      version: green-web-echo
`;
