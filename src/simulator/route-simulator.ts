import * as fs from 'fs';
import { authorizeRoute } from './authorization-check';
import { routeThroughGatewayApi } from './gateway-api-routing';
import { routeThroughGateway } from './gateway-routing';
import { NormalizedRequest, normalizeRequest } from './request';
import { routeFromSidecar } from './sidecar-routing';
import { RouteResult, SimulatedRequest } from './types';
import { parseManifestText, readManifestFiles } from '../manifests/manifest-files';
import { GatewayApiIndex } from '../semantics/gateway-api/gateway-api-index';
import { ManifestIndex } from '../semantics/manifest-index';

/**
 * Offline answer to "where would Istio send this request?".
 *
 * Evaluates Gateways, VirtualServices, DestinationRules, Services and workloads the way istiod
 * 1.30 programs Envoy in sidecar mode, and Gateway API Gateways, HTTPRoutes, GRPCRoutes and
 * TCPRoutes as istiod translates them (for sidecars, gateways of class `istio` and ambient
 * waypoints); see the simulator README for what is not modelled.
 */
export class RouteSimulator {
  /**
   * Builds a simulator from multi-document YAML text.
   *
   * @param text YAML with one or more Kubernetes manifests
   */
  public static fromYaml(text: string): RouteSimulator {
    return new RouteSimulator(parseManifestText(text, 'yaml text'));
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
    return new RouteSimulator(readManifestFiles([dir]));
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
    // the called pods' sidecars authorize the request once routing has chosen them
    return authorizeRoute(this.index, request, req, this.routeOnly(request, req));
  }

  private routeOnly(request: SimulatedRequest, req: NormalizedRequest): RouteResult {
    if (request.gateway !== undefined) {
      const kubernetesGateway = this.index.gateways.has(String(request.gateway)) || this.index.gatewayApiObjects.length === 0
        ? undefined : GatewayApiIndex.of(this.index).gateway(String(request.gateway));
      if (kubernetesGateway) {
        return routeThroughGatewayApi(this.index, kubernetesGateway, req);
      }
      return routeThroughGateway(this.index, request, req);
    }
    const namespace = request.sourceNamespace ?? 'default';
    if (!namespace) {
      throw new Error('request sourceNamespace is empty: give the namespace of the calling pod');
    }
    return routeFromSidecar(this.index, { namespace, labels: request.sourceLabels ?? {} }, req);
  }
}

