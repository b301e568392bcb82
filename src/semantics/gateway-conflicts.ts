import { IndexedObject, ManifestIndex } from './manifest-index';
import { selectorKey, stringRecord } from './names';

/**
 * Gateway servers that claim the same host on the same port of the same gateway workload, as
 * istiod's analyzer finds them (`pkg/config/analysis/analyzers/gateway/conflictinggateway.go`):
 * two Gateways select the same workload when their selectors are equal, or when one selector's
 * text (`k=v,...`, keys sorted) contains the other's and some running pod carries both; hosts are
 * compared as written, together with `bind`. istiod keeps only the first such server when merging
 * (`pilot/pkg/model/gateway.go` `mergeGateways`, `CheckDuplicates`).
 */

/** One server of a Gateway whose host another Gateway on the same workload and port also declares. */
export interface GatewayServerConflict {
  readonly gateway: IndexedObject;
  readonly serverIndex: number;
  readonly port: number;
  /** The server's hosts, as written. */
  readonly hosts: string[];
  /** The Gateway's selector as `k=v,...` (keys sorted). */
  readonly selector: string;
  /** The other Gateways (`ns/name`), sorted. */
  readonly conflictsWith: string[];
}

interface ServerEntry {
  readonly gateway: IndexedObject;
  readonly ref: string;
  readonly index: number;
  readonly port: number;
  readonly hosts: string[];
  readonly bind: string;
}

/**
 * Every Gateway server with a conflict, in Gateway creation order then server order. Linear in the
 * servers' hosts: gateways are filed by selector, port, host and bind, and each selector is compared
 * only with the selectors that select a pod it selects.
 */
export function conflictingGatewayServers(index: ManifestIndex): GatewayServerConflict[] {
  const entries: ServerEntry[] = [];
  const selectorOf = new Map<IndexedObject, string>();
  const selectors = new Map<string, Record<string, string>>();
  for (const gw of index.gatewayList) {
    const selector = stringRecord(gw.spec.selector);
    const key = selectorKey(selector);
    selectorOf.set(gw, key);
    selectors.set(key, selector);
    const servers: any[] = Array.isArray(gw.spec.servers) ? gw.spec.servers : [];
    servers.forEach((s, i) => entries.push({
      gateway: gw,
      ref: `${gw.namespace}/${gw.name}`,
      index: i,
      port: Number(s?.port?.number ?? 0),
      hosts: (Array.isArray(s?.hosts) ? s.hosts : []).map(String),
      bind: String(s?.bind ?? ''),
    }));
  }
  const claims = new Map<string, Set<string>>();
  const claimKey = (selector: string, e: ServerEntry, host: string) => `${selector}~${e.port}~${host}~${e.bind}`;
  for (const e of entries) {
    for (const h of e.hosts) {
      const k = claimKey(selectorOf.get(e.gateway)!, e, h);
      const set = claims.get(k) ?? new Set<string>();
      set.add(e.ref);
      claims.set(k, set);
    }
  }
  const related = sameWorkloadSelectors(index, selectors);
  const out: GatewayServerConflict[] = [];
  for (const e of entries) {
    const own = selectorOf.get(e.gateway)!;
    const others = new Set<string>();
    for (const selector of [own, ...(related.get(own) ?? [])]) {
      for (const h of e.hosts) {
        claims.get(claimKey(selector, e, h))?.forEach((ref) => ref !== e.ref && others.add(ref));
      }
    }
    if (others.size > 0) {
      out.push({ gateway: e.gateway, serverIndex: e.index, port: e.port, hosts: e.hosts, selector: own, conflictsWith: [...others].sort() });
    }
  }
  return out;
}

/**
 * For each selector, the other selectors istiod's analyzer treats as selecting the same workload:
 * one text contains the other and a running pod carries both. Found per pod, so the cost follows the
 * pods and the selectors each pod matches, not all pairs of selectors.
 */
function sameWorkloadSelectors(index: ManifestIndex, selectors: Map<string, Record<string, string>>): Map<string, Set<string>> {
  const byPod = new Map<object, string[]>();
  for (const [key, selector] of selectors) {
    for (const pod of index.podsSelectedAnywhere(selector)) {
      if (pod.running) {
        const list = byPod.get(pod) ?? [];
        list.push(key);
        byPod.set(pod, list);
      }
    }
  }
  const related = new Map<string, Set<string>>();
  for (const keys of byPod.values()) {
    for (const a of keys) {
      for (const b of keys) {
        if (a !== b && (a.includes(b) || b.includes(a))) {
          const set = related.get(a) ?? new Set<string>();
          set.add(b);
          related.set(a, set);
        }
      }
    }
  }
  return related;
}
