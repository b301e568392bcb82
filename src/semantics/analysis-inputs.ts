/**
 * Which objects `istioctl analyze` looks at, and which Services it treats as Istio's own rather
 * than the user's.
 */

/**
 * Namespaces whose objects istioctl never analyzes (`pkg/kube/inject/initializer.go`
 * `IgnoredNamespaces`, applied to every input by `pkg/config/analysis/local/istiod_analyze.go`).
 * `istio-system` is not among them: Istio's own Services there are recognised by their labels.
 */
export const ANALYSIS_IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** The label istiod puts on the Services and Deployments it creates for Gateway API Gateways. */
export const GATEWAY_MANAGED_LABEL = 'gateway.istio.io/managed';

/** Values of `gateway.istio.io/managed` set by istiod's gateway controllers (`pkg/config/constants`). */
const GATEWAY_CONTROLLERS = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/** Whether istioctl analyzes an object of this namespace (for a `Namespace`, its name). */
export function isAnalyzedNamespace(namespace: string): boolean {
  return !ANALYSIS_IGNORED_NAMESPACES.has(namespace);
}

/**
 * Whether an object belongs to Istio's control plane (`analyzers/util/config.go`
 * `IsIstioControlPlane`): it has an `istio` label, whatever its value, or `release: istio`.
 */
export function isIstioControlPlane(labels: Record<string, string>): boolean {
  return Object.prototype.hasOwnProperty.call(labels, 'istio') || labels.release === 'istio';
}

/** Whether istiod created the Service for a Gateway API Gateway or waypoint (`gateway.istio.io/managed`). */
export function isGatewayManaged(labels: Record<string, string>): boolean {
  return GATEWAY_CONTROLLERS.has(labels[GATEWAY_MANAGED_LABEL]);
}
