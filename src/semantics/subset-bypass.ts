import { IndexedObject, IndexedVirtualService, ManifestIndex } from './manifest-index';
import { resolveShortname } from './names';

/**
 * Routes that send requests past a subset split: a VirtualService with `gateways` routes to a host
 * without a subset while another VirtualService for that host routes it to subsets. VirtualServices
 * do not chain, so the route goes straight to the host's endpoints and the split never applies
 * (`pkg/config/analysis/analyzers/virtualservice/destinationhosts.go` `analyzeSubset`,
 * `initVirtualServiceDestinations`). As there, hosts are compared as written, only http `route`
 * destinations count, and a VirtualService listing any gateway (even only `mesh`) is checked.
 * Narrower than there, where the pair would be noise: equal short names in different namespaces do
 * not meet, subset routes only callers chosen by `sourceLabels` take do not count (version affinity:
 * meant for those sidecars), nor do the VirtualService's own subset routes (the same requests
 * evaluate them).
 */

/** A route bypassing the subset split of another VirtualService. */
export interface SubsetBypass {
  /** The VirtualService whose route has no subset. */
  readonly vs: IndexedVirtualService;
  /** The route's destination, e.g. `spec.http[0].route[1].destination`. */
  readonly path: string;
  /** The destination host as written. */
  readonly host: string;
  /** The VirtualService splitting that host by subset. */
  readonly splitter: IndexedObject;
}

/**
 * Every bypass, once per pair of VirtualServices (at the first route of the pair), in creation
 * order. Linear: VirtualServices splitting a host are filed by host once.
 */
export function subsetBypasses(index: ManifestIndex): SubsetBypass[] {
  const splitting = new Map<string, Set<IndexedVirtualService>>();
  for (const vs of index.virtualServices) {
    const hosts = new Set((Array.isArray(vs.spec.hosts) ? vs.spec.hosts : []).map(String));
    for (const { destination, rule } of routeDestinations(vs)) {
      const host = String(destination?.host ?? '');
      if (hasSubset(destination) && hosts.has(host) && !onlyForSelectedCallers(rule)) {
        const key = hostKey(host, vs.namespace);
        const set = splitting.get(key) ?? new Set<IndexedVirtualService>();
        set.add(vs);
        splitting.set(key, set);
      }
    }
  }
  const out: SubsetBypass[] = [];
  for (const vs of index.virtualServices) {
    if (!Array.isArray(vs.spec.gateways) || vs.spec.gateways.length === 0) {
      continue;
    }
    const paired = new Set<IndexedVirtualService>();
    for (const { destination, path } of routeDestinations(vs)) {
      if (hasSubset(destination)) {
        continue;
      }
      const host = String(destination?.host ?? '');
      for (const splitter of splitting.get(hostKey(host, vs.namespace)) ?? []) {
        if (splitter !== vs && !paired.has(splitter)) {
          paired.add(splitter);
          out.push({ vs, path, host, splitter });
        }
      }
    }
  }
  return out;
}

/**
 * The host as written and the Service it names: istiod compares only the text, which makes the short
 * name `web` in one namespace meet `web` in every other; requiring the same resolved host too keeps
 * the comparison textual without pairing unrelated Services.
 */
function hostKey(host: string, namespace: string): string {
  return `${host}|${resolveShortname(host, namespace)}`;
}

function hasSubset(destination: any): boolean {
  return destination?.subset !== undefined && destination?.subset !== null && destination?.subset !== '';
}

/** Whether every match of the rule picks callers by `sourceLabels`. */
function onlyForSelectedCallers(rule: any): boolean {
  const matches: any[] = Array.isArray(rule?.match) ? rule.match : [];
  return matches.length > 0 && matches.every((m) => m?.sourceLabels && Object.keys(m.sourceLabels).length > 0);
}

function* routeDestinations(vs: IndexedVirtualService): Generator<{ destination: any; path: string; rule: any }> {
  const rules: any[] = Array.isArray(vs.spec.http) ? vs.spec.http : [];
  for (let i = 0; i < rules.length; i++) {
    const routes: any[] = Array.isArray(rules[i]?.route) ? rules[i].route : [];
    for (let j = 0; j < routes.length; j++) {
      yield { destination: routes[j]?.destination, path: `spec.http[${i}].route[${j}].destination`, rule: rules[i] };
    }
  }
}
