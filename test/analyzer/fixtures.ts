import { parseAllDocuments } from 'yaml';
import { analyze, AnalysisOptions, Finding } from '../../src';

/** Parses multi-document YAML the way the validation plugin does. */
export function parseYaml(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** Findings of the YAML, optionally only one code. */
export function findingsOf(text: string, code?: string, options?: AnalysisOptions): Finding[] {
  const findings = analyze(parseYaml(text), options);
  return code ? findings.filter((f) => f.code === code) : findings;
}

/** A Service `name` in `ns` selecting `app: name`, with one http port 80. */
export function service(name: string, ns = 'default', selector = `{ app: ${name} }`, ports = '[{ name: http, port: 80 }]'): string {
  return `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { selector: ${selector}, ports: ${ports} }
---`;
}

/** A Deployment whose pods carry `app: name, version: version`. */
export function deployment(name: string, version: string, ns = 'default', replicas = 1): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}-${version}, namespace: ${ns} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name}, version: ${version} } }
  template: { metadata: { labels: { app: ${name}, version: ${version} } } }
---`;
}

/** A DestinationRule for `name` with one subset per version, selecting `version: <v>`. */
export function destinationRule(name: string, versions: string[], ns = 'default'): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
  host: ${name}
  subsets: [${versions.map((v) => `{ name: ${v}, labels: { version: ${v} } }`).join(', ')}]
---`;
}

/** A healthy app: Service, DR with blue/green, both Deployments. */
export function app(name: string, ns = 'default'): string {
  return service(name, ns) + destinationRule(name, ['blue', 'green'], ns) + deployment(name, 'blue', ns) + deployment(name, 'green', ns);
}

/** A VirtualService in `default` with the given spec body (YAML, indented by two spaces). */
export function virtualService(name: string, spec: string, ns = 'default'): string {
  return `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}
---`;
}

/** An ingress Gateway `gw` in `default` serving every host on port 80. */
export const GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }]
---`;

/** Every finding of the YAML as `CODE SEVERITY Kind ns/name path`, in report order. */
export function summaryOf(text: string, options?: AnalysisOptions): string[] {
  return analyze(parseYaml(text), options).map((f) => `${f.code} ${f.severity} ${f.kind} ${f.namespace}/${f.name} ${f.path ?? ''}`.trim());
}

/** An Istio Gateway `ns/name` with the given selector (YAML flow map) and servers (YAML flow list). */
export function gateway(ns: string, name: string, selector: string, servers: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: ${selector}
  servers: ${servers}
---`;
}
