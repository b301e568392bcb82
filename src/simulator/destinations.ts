import {
  hostMatches, IndexedObject, IndexedService, isExportedTo, ManifestIndex, resolveShortname, ROOT_NAMESPACE,
} from './manifest-index';
import { RouteDestination } from './types';

/**
 * Turns VirtualService destinations into clusters the way istiod and Envoy do: relative weights,
 * port inference, DestinationRule subset lookup and endpoint availability (§2, §5, §7).
 */
export interface DestinationContext {
  readonly index: ManifestIndex;
  /** Namespace of the calling proxy; DestinationRule lookup starts here. */
  readonly clientNamespace: string;
  /** Port the request arrived on: the fallback destination port. */
  readonly listenerPort: number;
  /** Collects caveats for the result. */
  readonly notes: string[];
}

/** A destination with its raw weight and normalized share. */
interface WeightedDestination {
  readonly destination: any;
  readonly percentage: number;
}

/**
 * Relative weights: a single destination takes everything; otherwise weight-0 (or omitted)
 * destinations are dropped and the rest share in proportion (§2).
 */
export function splitByWeight(routes: any[], where: string): WeightedDestination[] {
  if (routes.length === 0) {
    throw new Error(`${where}: the rule has no destinations; give at least one route destination`);
  }
  if (routes.length === 1) {
    return [{ destination: routes[0].destination ?? {}, percentage: 100 }];
  }
  const kept = routes.filter((r) => Number(r.weight ?? 0) > 0);
  const total = kept.reduce((sum, r) => sum + Number(r.weight), 0);
  if (total <= 0) {
    throw new Error(`${where}: total destination weight is 0, which istio rejects; give at least one destination a positive weight`);
  }
  return kept.map((r) => ({ destination: r.destination ?? {}, percentage: (Number(r.weight) * 100) / total }));
}

/**
 * Resolves one `Destination` (host short names use the VirtualService namespace) to a cluster and
 * checks that it can serve traffic.
 */
export function resolveDestination(dest: any, percentage: number, vsNamespace: string, ctx: DestinationContext): RouteDestination {
  if (!dest.host) {
    throw new Error(`virtualservice in namespace ${vsNamespace}: destination has no host`);
  }
  const host = resolveShortname(String(dest.host), vsNamespace);
  const subset: string | undefined = dest.subset ? String(dest.subset) : undefined;
  const explicitPort: number | undefined = dest.port?.number !== undefined ? Number(dest.port.number) : undefined;
  const svc = ctx.index.services.get(host);
  if (!svc) {
    const port = explicitPort ?? ctx.listenerPort;
    if ([...ctx.index.serviceEntryHosts].some((h) => hostMatches(host, h))) {
      ctx.notes.push(`destination ${host} is declared by a ServiceEntry; its endpoints and subsets are not checked`);
      return { host, subset, port, percentage, healthy: true };
    }
    return unhealthy(host, subset, port, percentage,
      `destination host ${host} is not a Service in the manifests, so cluster outbound|${port}|${subset ?? ''}|${host} does not exist (503 NC)`);
  }
  // istiod: explicit port, else the service's only port, else the port the request arrived on
  const port = explicitPort ?? (svc.ports.length === 1 ? svc.ports[0].port : ctx.listenerPort);
  if (!svc.ports.some((p) => p.port === port)) {
    const ports = svc.ports.map((p) => p.port).join(', ') || 'none';
    return unhealthy(host, subset, port, percentage,
      `service ${host} has no port ${port} (ports: ${ports}), so cluster outbound|${port}|${subset ?? ''}|${host} does not exist (503 NC)`);
  }
  let subsetLabels: Record<string, string> | undefined;
  if (subset) {
    const subsets = subsetsFor(ctx.index, svc, ctx.clientNamespace);
    const found = subsets.get(subset);
    if (!found) {
      const known = [...subsets.keys()].join(', ') || 'none';
      return unhealthy(host, subset, port, percentage,
        `subset '${subset}' of ${host} is not defined by a DestinationRule visible from namespace ${ctx.clientNamespace} (defined: ${known}), so the cluster does not exist (503 NC)`);
    }
    subsetLabels = found;
  }
  const problem = endpointProblem(ctx, svc, subset, subsetLabels);
  return problem ? unhealthy(host, subset, port, percentage, problem) : { host, subset, port, percentage, healthy: true };
}

function unhealthy(host: string, subset: string | undefined, port: number | undefined, percentage: number, problem: string): RouteDestination {
  return { host, subset, port, percentage, healthy: false, problem };
}

/**
 * Endpoints are the pods selected by the Service, filtered by the subset labels (§5, §7).
 */
function endpointProblem(ctx: DestinationContext, svc: IndexedService, subset: string | undefined,
  subsetLabels: Record<string, string> | undefined): string | undefined {
  if (!svc.selector) {
    ctx.notes.push(`service ${svc.fqdn} has no selector; its endpoints are not checked`);
    return undefined;
  }
  if (!ctx.index.hasWorkloads) {
    ctx.notes.push('the manifests contain no workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod); endpoints are assumed to exist');
    return undefined;
  }
  if (ctx.index.podsMatching(svc.namespace, svc.selector, subsetLabels).length > 0) {
    return undefined;
  }
  const want = JSON.stringify({ ...svc.selector, ...subsetLabels ?? {} });
  return subset
    ? `subset '${subset}' of ${svc.fqdn} selects no pods: no pod in namespace ${svc.namespace} has labels ${want} (503 UH)`
    : `service ${svc.fqdn} selects no pods: no pod in namespace ${svc.namespace} has labels ${want} (503 UH)`;
}

/**
 * Subsets of the DestinationRules that apply to `svc` for a client: the first namespace among
 * client, service, root that has a visible rule for the host wins; within it rules merge, first
 * definition of a subset winning (§5).
 */
export function subsetsFor(index: ManifestIndex, svc: IndexedService, clientNamespace: string): Map<string, Record<string, string>> {
  for (const ns of [clientNamespace, svc.namespace, ROOT_NAMESPACE]) {
    const rules = rulesInNamespace(index, ns, svc.fqdn, clientNamespace);
    if (rules.length === 0) {
      continue;
    }
    const subsets = new Map<string, Record<string, string>>();
    for (const dr of rules) {
      for (const s of dr.spec.subsets ?? []) {
        if (s?.name && !subsets.has(String(s.name))) {
          subsets.set(String(s.name), s.labels ?? {});
        }
      }
    }
    return subsets;
  }
  return new Map();
}

function rulesInNamespace(index: ManifestIndex, ns: string, host: string, clientNamespace: string): IndexedObject[] {
  const candidates = index.destinationRules.filter((dr) => dr.namespace === ns
    && isExportedTo(dr.spec.exportTo, dr.namespace, clientNamespace)
    && dr.spec.host
    && hostMatches(host, resolveShortname(String(dr.spec.host), dr.namespace)));
  // an exact host beats a wildcard one
  const exact = candidates.filter((dr) => resolveShortname(String(dr.spec.host), dr.namespace) === host);
  return exact.length > 0 ? exact : candidates;
}
