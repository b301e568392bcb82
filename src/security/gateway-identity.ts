/**
 * The identity of Istio's default ingress gateway, as `istioctl install` (default profile) deploys
 * it: pods labelled `istio: ingressgateway` in `istio-system`, running as the service account
 * `istio-ingressgateway-service-account`. Gateways installed otherwise (the `istio/gateway` Helm
 * chart names the service account after the release) must be described explicitly.
 */
export const DEFAULT_INGRESS_GATEWAY = {
  namespace: 'istio-system',
  serviceAccount: 'istio-ingressgateway-service-account',
  selector: { istio: 'ingressgateway' } as Record<string, string>,
} as const;

/** A namespace and service account: who a workload is in the mesh. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Whether a Gateway selector picks exactly the default ingress gateway pods. */
export function isDefaultIngressSelector(selector: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length === 1 && entries[0][0] === 'istio' && entries[0][1] === DEFAULT_INGRESS_GATEWAY.selector.istio;
}
