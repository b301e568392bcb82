import { GatewayApiIndex, WAYPOINT_GATEWAY_CLASS } from './gateway-api-index';
import { IndexedService, ManifestIndex } from '../manifest-index';

/**
 * Ambient mode as far as routing needs it (docs/gateway-api-semantics.md §5.1, §5.3): which callers
 * are ambient, and which waypoint applies a Service's routes
 * (`pilot/pkg/serviceregistry/ambient/waypoints.go`).
 */

const DATAPLANE_MODE = 'istio.io/dataplane-mode';
const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
const WAYPOINT_FOR = 'istio.io/waypoint-for';

/**
 * Whether pods of `namespace` are ambient: the Namespace is labelled `istio.io/dataplane-mode:
 * ambient`, and `istio-injection: enabled` does not give them sidecars instead.
 */
export function isAmbientNamespace(index: ManifestIndex, namespace: string): boolean {
  const labels = index.namespaces.get(namespace)?.labels ?? {};
  return labels[DATAPLANE_MODE] === 'ambient' && labels['istio-injection'] !== 'enabled';
}

/** The waypoint a Service uses, or why it has none. */
export interface ServiceWaypoint {
  readonly name: string;
  readonly namespace: string;
  /** Set when the waypoint cannot serve the Service's traffic. */
  readonly problem?: string;
  /** Set when the waypoint Gateway is not in the manifests and is assumed to exist. */
  readonly assumption?: string;
}

/**
 * The waypoint named by `istio.io/use-waypoint` on the Service, else on its Namespace (`none` opts
 * out), in `istio.io/use-waypoint-namespace` or the Service's namespace. A waypoint for `workload`
 * (or `none`) traffic does not handle Service traffic.
 */
export function serviceWaypoint(index: GatewayApiIndex, svc: IndexedService): ServiceWaypoint | undefined {
  const nsLabels = index.index.namespaces.get(svc.namespace)?.labels ?? {};
  const source = svc.labels[USE_WAYPOINT] !== undefined ? svc.labels : nsLabels;
  const name = source[USE_WAYPOINT];
  if (!name || name === 'none') {
    return undefined;
  }
  const namespace = source[USE_WAYPOINT_NAMESPACE] ?? svc.namespace;
  const gateway = index.gateway(`${namespace}/${name}`);
  if (!gateway) {
    return { name, namespace, assumption: `waypoint ${namespace}/${name} is not in the manifests; it is assumed to exist and serve Service traffic` };
  }
  if (gateway.className !== WAYPOINT_GATEWAY_CLASS) {
    return { name, namespace, problem: `Gateway ${namespace}/${name} has class '${gateway.className}', not ${WAYPOINT_GATEWAY_CLASS}` };
  }
  const handles = gateway.labels[WAYPOINT_FOR] ?? 'service';
  if (handles !== 'service' && handles !== 'all') {
    return { name, namespace, problem: `waypoint ${namespace}/${name} is for '${handles}' traffic (${WAYPOINT_FOR}), so it does not handle Service traffic` };
  }
  return { name, namespace };
}
