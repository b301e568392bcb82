import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { routeThroughGateway } from './gateway-routing';
import { ManifestIndex } from './manifest-index';
import { normalizeRequest } from './request';
import { routeFromSidecar } from './sidecar-routing';
import { RouteResult, SimulatedRequest } from './types';

/**
 * Offline answer to "where would Istio send this request?".
 *
 * Evaluates Gateways, VirtualServices, DestinationRules, Services and workloads the way istiod
 * 1.30 programs Envoy in sidecar mode; see the simulator README for what is not modelled.
 */
export class RouteSimulator {
  /**
   * Builds a simulator from multi-document YAML text.
   *
   * @param text YAML with one or more Kubernetes manifests
   */
  public static fromYaml(text: string): RouteSimulator {
    return new RouteSimulator(parseYamlManifests(text, 'yaml text'));
  }

  /**
   * Builds a simulator from every `*.yaml` / `*.yml` file below a directory (recursively).
   *
   * @param dir directory to read, e.g. a cdk8s `dist/` folder
   */
  public static fromDirectory(dir: string): RouteSimulator {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new Error(`manifest directory '${dir}' does not exist or is not a directory`);
    }
    const manifests: any[] = [];
    for (const file of yamlFiles(dir)) {
      manifests.push(...parseYamlManifests(fs.readFileSync(file, 'utf8'), file));
    }
    return new RouteSimulator(manifests);
  }

  private readonly index: ManifestIndex;

  /**
   * @param manifests Kubernetes objects as parsed from YAML/JSON (apiVersion, kind, metadata, spec)
   */
  constructor(manifests: any[]) {
    if (!Array.isArray(manifests)) {
      throw new Error(`manifests must be an array of Kubernetes objects, got ${typeof manifests}`);
    }
    this.index = new ManifestIndex(manifests);
  }

  /**
   * Simulates one request.
   *
   * @param request the request and where it enters the mesh
   */
  public route(request: SimulatedRequest): RouteResult {
    const req = normalizeRequest(request);
    if (request.gateway !== undefined) {
      return routeThroughGateway(this.index, request, req);
    }
    const namespace = request.sourceNamespace ?? 'default';
    if (!namespace) {
      throw new Error('request sourceNamespace is empty: give the namespace of the calling pod');
    }
    return routeFromSidecar(this.index, { namespace, labels: request.sourceLabels ?? {} }, req);
  }
}

function parseYamlManifests(text: string, source: string): any[] {
  const out: any[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: invalid yaml: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...yamlFiles(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}
