/** The API group of every Gateway API kind the output writes. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** A Gateway API object kind: its apiVersion and kind on the wire. */
export interface GatewayApiKind {
  readonly apiVersion: string;
  readonly kind: string;
}

export const GATEWAY_KIND: GatewayApiKind = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'Gateway' };
export const HTTP_ROUTE_KIND: GatewayApiKind = { apiVersion: `${GATEWAY_GROUP}/v1`, kind: 'HTTPRoute' };
/** Experimental channel only (docs/gateway-api-semantics.md §1.1). */
export const TCP_ROUTE_KIND: GatewayApiKind = { apiVersion: `${GATEWAY_GROUP}/v1alpha2`, kind: 'TCPRoute' };
/** istiod reads ReferenceGrants through v1beta1, which every CRD bundle since v0.6 serves. */
export const REFERENCE_GRANT_KIND: GatewayApiKind = { apiVersion: `${GATEWAY_GROUP}/v1beta1`, kind: 'ReferenceGrant' };

/**
 * A parentRef to a Gateway, `name` or `namespace/name`. Attaching to a Gateway in another namespace
 * needs no ReferenceGrant: the Gateway's listeners decide with `allowedRoutes`.
 */
export function gatewayParent(reference: string) {
  const [namespace, name] = reference.includes('/') ? reference.split('/') : [undefined, reference];
  return { group: GATEWAY_GROUP, kind: 'Gateway', name, namespace };
}

/**
 * A parentRef to a Service (GAMMA): the group must be written as `""`, or the parent is a Gateway
 * API kind that Istio silently ignores (docs/gateway-api-semantics.md §8 P2). The port limits the
 * route to one Service port, which `sectionName` would not (P3).
 */
export function serviceParent(name: string, port: number) {
  return { group: '', kind: 'Service', name, port };
}
