import { IndexedService, ManifestIndex } from './manifest-index';
import { formatLabels, resolveShortname, ROOT_NAMESPACE, stringRecord } from './names';
import { subsetSelectsPods } from './topology';

/**
 * Destinations as istiod and Envoy resolve them: relative weights and mirror percentages, the
 * cluster port (`route.go` `GetDestinationCluster`), Service and ServiceEntry visibility, DestinationRule
 * subset lookup and endpoints judged per Service.
 */

/** A destination with its share of traffic, before resolution. */
export interface WeightedDestination {
  /** The VirtualService `destination` object. */
  readonly destination: any;
  /** Share 0–100 (for mirrors: the mirror percentage). */
  readonly percentage: number;
}

/**
 * Relative weights (`route.go` `applyHTTPRouteDestination`, `networkfilter.go`): a single
 * destination takes everything whatever its weight; otherwise weight-0 (or omitted) destinations are
 * dropped and the rest share in proportion. `zeroTotal` is set when nothing keeps a weight, which
 * istiod's validation rejects.
 */
export function weightedDestinations(routes: any[] | undefined): { readonly kept: WeightedDestination[]; readonly zeroTotal: boolean } {
  const list = Array.isArray(routes) ? routes.filter((r) => r && typeof r === 'object') : [];
  if (list.length === 1) {
    return { kept: [{ destination: list[0].destination ?? {}, percentage: 100 }], zeroTotal: false };
  }
  const kept = list.filter((r) => Number(r.weight ?? 0) > 0);
  const total = kept.reduce((sum, r) => sum + Number(r.weight), 0);
  if (total <= 0) {
    return { kept: [], zeroTotal: list.length > 0 };
  }
  return { kept: kept.map((r) => ({ destination: r.destination ?? {}, percentage: (Number(r.weight) * 100) / total })), zeroTotal: false };
}

/**
 * Mirror destinations of an HTTP rule (`route.go` `MirrorPercent`, `MirrorPercentByPolicy`): no
 * percentage mirrors everything, an explicit 0 mirrors nothing, the deprecated integer
 * `mirrorPercent` still counts; `mirrors[]` entries carry their own percentage.
 */
export function mirrorDestinations(rule: any): WeightedDestination[] {
  const out: WeightedDestination[] = [];
  if (rule?.mirror) {
    const pct = Number(rule.mirrorPercentage?.value ?? rule.mirrorPercent ?? 100);
    if (pct > 0) {
      out.push({ destination: rule.mirror, percentage: pct });
    }
  }
  for (const m of Array.isArray(rule?.mirrors) ? rule.mirrors : []) {
    const pct = Number(m?.percentage?.value ?? 100);
    if (pct > 0 && m?.destination) {
      out.push({ destination: m.destination, percentage: pct });
    }
  }
  return out;
}

/** A destination resolved to a cluster, with whether it can serve traffic. */
export interface ResolvedDestination {
  /** Fully qualified destination host. */
  readonly host: string;
  readonly subset?: string;
  /** Cluster port; undefined only when it cannot be known. */
  readonly port?: number;
  readonly percentage: number;
  /** Whether the cluster exists and has endpoints (or is assumed to). */
  readonly healthy: boolean;
  /** Why it cannot serve traffic (503 `NC` or `UH`). */
  readonly problem?: string;
}

/**
 * How the cluster port of a destination without `port` is chosen. Sidecar HTTP routes look the
 * destination up among the services on the listener port only, so they always use the listener port
 * (`httproute.go` `BuildSidecarOutboundVirtualHosts` builds `servicesByName` per port); gateways and
 * TCP routes see the whole Service and use its only port when it has one.
 */
export enum PortInference {
  LISTENER_PORT = 'LISTENER_PORT',
  SINGLE_SERVICE_PORT = 'SINGLE_SERVICE_PORT',
}

/** Where a destination is resolved from. */
export interface DestinationContext {
  readonly index: ManifestIndex;
  /** Namespace of the proxy: Service/ServiceEntry visibility and DestinationRule lookup start here. */
  readonly clientNamespace: string;
  /** Port the request arrived on. */
  readonly listenerPort: number;
  readonly portInference: PortInference;
  /** Collects caveats and assumptions. */
  readonly notes: string[];
}

function broken(host: string, subset: string | undefined, port: number | undefined, percentage: number, problem: string): ResolvedDestination {
  return { host, subset, port, percentage, healthy: false, problem };
}

/**
 * Resolves one VirtualService `Destination` (short hosts use the VirtualService's namespace) to a
 * cluster `outbound|port|subset|host` and judges whether it can serve traffic.
 */
export function resolveDestination(dest: any, percentage: number, vsNamespace: string, ctx: DestinationContext): ResolvedDestination {
  if (!dest?.host) {
    throw new Error(`virtualservice in namespace ${vsNamespace}: destination has no host; give destination.host`);
  }
  const host = resolveShortname(String(dest.host), vsNamespace);
  const subset: string | undefined = dest.subset ? String(dest.subset) : undefined;
  const explicitPort: number | undefined = dest.port?.number !== undefined ? Number(dest.port.number) : undefined;
  const found = ctx.index.services.get(host);
  const svc = found && ctx.index.isServiceVisible(found, ctx.clientNamespace) ? found : undefined;
  if (!svc) {
    const port = explicitPort ?? ctx.listenerPort;
    if (ctx.index.serviceEntriesFor(host, ctx.clientNamespace).length > 0) {
      ctx.notes.push(`destination ${host} is declared by a ServiceEntry; its endpoints and subsets are not checked`);
      return { host, subset, port, percentage, healthy: true };
    }
    const why = found
      ? `service ${host} is not exported to namespace ${ctx.clientNamespace} (networking.istio.io/exportTo: ${found.exportTo!.join(',')})`
      : `destination host ${host} is not a Service in the manifests`;
    return broken(host, subset, port, percentage, `${why}, so cluster outbound|${port}|${subset ?? ''}|${host} does not exist (503 NC)`);
  }
  const singlePort = ctx.portInference === PortInference.SINGLE_SERVICE_PORT && svc.ports.length === 1 ? svc.ports[0].port : undefined;
  const port = explicitPort ?? singlePort ?? ctx.listenerPort;
  if (!svc.ports.some((p) => p.port === port)) {
    const ports = svc.ports.map((p) => p.port).join(', ') || 'none';
    const inferred = explicitPort === undefined ? ` (the destination has no port, so the listener port ${port} is used)` : '';
    return broken(host, subset, port, percentage,
      `service ${host} has no port ${port}${inferred} (ports: ${ports}), so cluster outbound|${port}|${subset ?? ''}|${host} does not exist (503 NC)`);
  }
  let subsetLabels: Record<string, string> | undefined;
  if (subset) {
    const subsets = subsetsFor(ctx.index, svc.fqdn, svc.namespace, ctx.clientNamespace);
    const labels = subsets.get(subset);
    if (!labels) {
      const known = [...subsets.keys()].join(', ') || 'none';
      return broken(host, subset, port, percentage,
        `subset '${subset}' of ${host} is not defined by a DestinationRule visible from namespace ${ctx.clientNamespace} (defined: ${known}), so the cluster does not exist (503 NC)`);
    }
    subsetLabels = labels;
  }
  const endpoints = judgeEndpoints(ctx.index, svc, subset, subsetLabels);
  if (endpoints.assumption) {
    ctx.notes.push(endpoints.assumption);
  }
  return endpoints.problem ? broken(host, subset, port, percentage, endpoints.problem) : { host, subset, port, percentage, healthy: true };
}

/** Whether a Service (or one of its subsets) has endpoints, judged from this Service's own pods. */
export interface EndpointJudgement {
  /** Why there are no endpoints (503 `UH`). */
  readonly problem?: string;
  /** Set when the manifests cannot tell and endpoints are assumed to exist. */
  readonly assumption?: string;
}

/**
 * Endpoints are the running pods selected by the Service, filtered by the subset labels. A Service
 * whose selector matches no workload template in the manifests (in any namespace) has its pods
 * elsewhere (another chart, another repository): endpoints are assumed, and the judgement says so,
 * so one unrelated Deployment in the input does not make every other Service look empty.
 */
export function judgeEndpoints(index: ManifestIndex, svc: IndexedService, subset?: string, subsetLabels?: Record<string, string>): EndpointJudgement {
  if (!svc.selector) {
    return { assumption: `service ${svc.fqdn} has no selector; its endpoints are not checked` };
  }
  const templates = index.podsMatching(svc.namespace, svc.selector);
  if (templates.length === 0) {
    const elsewhere = [...new Set(index.podsMatching(undefined, svc.selector).map((p) => p.namespace))];
    if (elsewhere.length > 0) {
      // pods carrying the selector exist, but a Service only selects pods of its own namespace
      const what = subset ? `subset '${subset}' of ${svc.fqdn}` : `service ${svc.fqdn}`;
      return { problem: `${what} selects no pods: pods labelled ${formatLabels(svc.selector)} run only in namespace ${elsewhere.join(', ')}, and a Service selects pods of its own namespace ${svc.namespace} (503 UH)` };
    }
    return { assumption: `no workload in the manifests matches the selector of service ${svc.fqdn} (${formatLabels(svc.selector)}); its pods are assumed to exist` };
  }
  const want = { ...svc.selector, ...(subsetLabels ?? {}) };
  const matching = templates.filter((p) => subsetSelectsPods(subsetLabels, p));
  if (matching.some((p) => p.running)) {
    return {};
  }
  const what = subset ? `subset '${subset}' of ${svc.fqdn}` : `service ${svc.fqdn}`;
  if (matching.length > 0) {
    return { problem: `${what} has no running pods: ${matching.map((p) => p.owner).join(', ')} ${matching.length > 1 ? 'are' : 'is'} scaled to 0 replicas (503 UH)` };
  }
  return { problem: `${what} selects no pods: no pod in namespace ${svc.namespace} has labels ${JSON.stringify(want)} (503 UH)` };
}

/**
 * Subsets of the DestinationRules that apply to `host` for a client: the first namespace among
 * client, service, root that has a visible rule for the host wins; within it rules merge, the first
 * definition of a subset winning (`push_context.go` `destinationRule`).
 */
export function subsetsFor(index: ManifestIndex, host: string, serviceNamespace: string,
  clientNamespace: string): Map<string, Record<string, string>> {
  for (const ns of [clientNamespace, serviceNamespace, ROOT_NAMESPACE]) {
    const rules = index.destinationRulesIn(ns, host, clientNamespace);
    if (rules.length === 0) {
      continue;
    }
    const subsets = new Map<string, Record<string, string>>();
    for (const dr of rules) {
      for (const s of Array.isArray(dr.spec.subsets) ? dr.spec.subsets : []) {
        if (s?.name && !subsets.has(String(s.name))) {
          subsets.set(String(s.name), stringRecord(s.labels));
        }
      }
    }
    return subsets;
  }
  return new Map();
}
