import * as fs from 'fs';
import * as path from 'path';

/**
 * A generated platform for the routing benchmark: `services` releases spread over namespaces of 100,
 * each with a Service, two versioned Deployments, a DestinationRule, a mesh VirtualService and a
 * gateway VirtualService. Most releases use the shared `istio-system/public-gateway`; every tenth
 * creates its own Gateway on the same ingress pods, so gateway merging is exercised at scale.
 */

export const SHARED_GATEWAY = 'istio-system/public-gateway';

/** Objects written per release (plus one Gateway for every tenth release). */
export const OBJECTS_PER_SERVICE = 6;

function namespaceOf(i: number): string {
  return `team-${Math.floor(i / 100)}`;
}

/** The name, namespace and external host of release `i`. */
export function release(i: number): { name: string; namespace: string; host: string; fqdn: string } {
  const name = `svc-${i}`;
  const namespace = namespaceOf(i);
  return { name, namespace, host: `${name}.example.com`, fqdn: `${name}.${namespace}.svc.cluster.local` };
}

function releaseYaml(i: number): string {
  const { name, namespace, host, fqdn } = release(i);
  const ownGateway = i % 10 === 0;
  const gateway = ownGateway ? `${namespace}/${name}-gateway` : SHARED_GATEWAY;
  const docs = [`apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: { selector: { app: ${name} }, ports: [{ name: http, port: 80, targetPort: 8080 }] }`];
  for (const version of ['blue', 'green']) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}-${version}, namespace: ${namespace} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name}, version: ${version} } }
  template:
    metadata: { labels: { app: ${name}, version: ${version} } }
    spec: { containers: [{ name: app, image: "example/app:${version}", ports: [{ containerPort: 8080 }] }] }`);
  }
  docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec: { host: ${fqdn}, subsets: [{ name: blue, labels: { version: blue } }, { name: green, labels: { version: green } }] }`);
  const routes = `
  - match: [{ headers: { cookie: { regex: "^(.*?;\\\\s*)?(x-version=green)(;.*)?$" } } }]
    route: [{ destination: { host: ${fqdn}, subset: green, port: { number: 80 } } }]
  - route:
    - { destination: { host: ${fqdn}, subset: blue, port: { number: 80 } }, weight: 90 }
    - { destination: { host: ${fqdn}, subset: green, port: { number: 80 } }, weight: 10 }`;
  docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}-mesh, namespace: ${namespace} }
spec:
  hosts: [${fqdn}]
  http:${routes}`);
  docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}-ingress, namespace: ${namespace} }
spec:
  hosts: [${host}]
  gateways: [${gateway}]
  http:${routes}`);
  if (ownGateway) {
    docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}-gateway, namespace: ${namespace} }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: [${host}] }]`);
  }
  return docs.join('\n---\n');
}

const SHARED = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public-gateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*.example.com"] }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  template: { metadata: { labels: { istio: ingressgateway, app: istio-ingressgateway } } }`;

/**
 * Writes the platform into `dir`: one file per namespace plus the shared ingress, returning the
 * number of objects written.
 */
export function writePlatform(dir: string, services: number): number {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'istio-system.yaml'), `${SHARED}\n`);
  let objects = 2;
  for (let first = 0; first < services; first += 100) {
    const docs: string[] = [];
    for (let i = first; i < Math.min(first + 100, services); i++) {
      docs.push(releaseYaml(i));
      objects += OBJECTS_PER_SERVICE + (i % 10 === 0 ? 1 : 0);
    }
    fs.writeFileSync(path.join(dir, `${namespaceOf(first)}.yaml`), `${docs.join('\n---\n')}\n`);
  }
  return objects;
}
