import { GatewayApiIndex, GatewayApiRoute } from './gateway-api-index';
import { judgeEndpoints } from '../destinations';
import { DOMAIN_SUFFIX } from '../names';

/**
 * Backends as istiod resolves Gateway API backendRefs (docs/gateway-api-semantics.md §1.6, §4):
 * relative integer weights with weight-0 entries dropped, Services by name and port, ReferenceGrants
 * for Gateway-parented routes only, and the status Envoy answers for the share of a broken backend:
 * 500 when the reference does not resolve (Gateway API routes set `cluster_not_found_response_code:
 * 500`), 503 when the Service has no ready endpoints.
 */

/** A backendRef with its share of the rule's traffic. */
export interface WeightedBackend {
  readonly ref: any;
  readonly index: number;
  /** Share 0–100. */
  readonly percentage: number;
}

/**
 * The shares of a rule's backendRefs (§4.2; `conversion.go` `buildHTTPDestination`): weight defaults
 * to 1, weight-0 entries are dropped, a lone remaining backend takes everything. `allZero` is set
 * when backendRefs exist but none keeps a weight (istiod answers 500 directly).
 */
export function weightedBackends(refs: any[] | undefined): { readonly kept: WeightedBackend[]; readonly allZero: boolean } {
  const list = (Array.isArray(refs) ? refs : []).map((ref, index) => ({ ref: ref ?? {}, index, weight: Number(ref?.weight ?? 1) }));
  const kept = list.filter((b) => b.weight > 0);
  const total = kept.reduce((sum, b) => sum + b.weight, 0);
  if (kept.length === 0) {
    return { kept: [], allZero: list.length > 0 };
  }
  return { kept: kept.map((b) => ({ ref: b.ref, index: b.index, percentage: (b.weight * 100) / total })), allZero: false };
}

/** A backendRef resolved to a cluster. */
export interface ResolvedBackend {
  /** FQDN of the Service (or the ServiceEntry host). */
  readonly host: string;
  readonly port?: number;
  /** 500 (does not resolve) or 503 (no ready endpoints); undefined when it can serve. */
  readonly status?: 500 | 503;
  readonly problem?: string;
  /** A caveat (endpoints assumed, ServiceEntry host unchecked). */
  readonly note?: string;
  /** Gateway API reason for `ResolvedRefs=False`, when the reference does not resolve. */
  readonly reason?: 'BackendNotFound' | 'RefNotPermitted' | 'InvalidKind';
}

/**
 * Resolves one backendRef of `route`. A reference to another namespace needs a ReferenceGrant only
 * when the route is programmed for a Gateway (`enforceGrant`; mesh routes never need one, §1.7).
 * The port is not checked by istiod's status, but a port the Service lacks has no cluster (§8 P9).
 */
export function resolveBackend(index: GatewayApiIndex, route: GatewayApiRoute, ref: any, enforceGrant: boolean): ResolvedBackend {
  const group = String(ref?.group ?? '');
  const kind = String(ref?.kind ?? 'Service');
  const name = String(ref?.name ?? '');
  const namespace = ref?.namespace === undefined ? route.namespace : String(ref.namespace);
  const port = ref?.port === undefined ? undefined : Number(ref.port);
  if (group === 'networking.istio.io' && kind === 'Hostname') {
    return { host: name, port, note: `backend ${name} is a ServiceEntry host; its endpoints are not checked` };
  }
  const host = `${name}.${namespace}.svc.${DOMAIN_SUFFIX}`;
  if (group !== '' || kind !== 'Service') {
    return { host, port, status: 500, reason: 'InvalidKind', problem: `backend ${group || '""'}/${kind} ${namespace}/${name} is not a kind istiod routes to (500)` };
  }
  if (enforceGrant && !index.isGranted(route.kind, route.namespace, '', 'Service', namespace, name)) {
    return {
      host,
      port,
      status: 500,
      reason: 'RefNotPermitted',
      problem: `backend Service ${namespace}/${name} is in another namespace than ${route.kind} ${route.namespace}/${route.name} and no ReferenceGrant in ${namespace} allows it (500)`,
    };
  }
  const svc = index.index.services.get(host);
  if (!svc) {
    return { host, port, status: 500, reason: 'BackendNotFound', problem: `backend Service ${namespace}/${name} is not in the manifests, so its cluster does not exist (500)` };
  }
  if (port === undefined || !svc.ports.some((p) => p.port === port)) {
    return {
      host,
      port,
      status: 500,
      problem: `backend Service ${namespace}/${name} has no port ${port ?? '(none given)'} (ports: ${svc.ports.map((p) => p.port).join(', ') || 'none'}), so the cluster does not exist (500)`,
    };
  }
  const endpoints = judgeEndpoints(index.index, svc);
  if (endpoints.problem) {
    return { host, port, status: 503, problem: endpoints.problem };
  }
  return { host, port, note: endpoints.assumption };
}
