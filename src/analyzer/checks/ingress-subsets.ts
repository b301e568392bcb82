import { isAnalyzed } from '../../semantics/analysis-exemptions';
import { IndexedVirtualService } from '../../semantics/manifest-index';
import { resolveShortname } from '../../semantics/names';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';

/**
 * IST0140: a VirtualService with `gateways` routes to a host without a subset, while a VirtualService
 * for that host splits it by subset. The gateway sends its requests straight to the host's endpoints;
 * the subset split never applies to them (VirtualServices do not chain). As in istiod
 * (`pkg/config/analysis/analyzers/virtualservice/destinationhosts.go` `analyzeSubset`), hosts are
 * compared as written, only http `route` destinations count, and a VirtualService that lists any
 * gateway (even only `mesh`) is checked; one finding per pair of VirtualServices. Unlike istiod,
 * equal short names in different namespaces do not meet, and subset routes only callers chosen by
 * `sourceLabels` take, and the VirtualService's own subset routes, are not counted.
 */
export function checkIngressSubsets(ctx: AnalysisContext): void {
  const splitting = new Map<string, Set<IndexedVirtualService>>();
  for (const vs of ctx.index.virtualServices) {
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
  for (const vs of ctx.index.virtualServices) {
    if (!isAnalyzed(vs) || !Array.isArray(vs.spec.gateways) || vs.spec.gateways.length === 0) {
      continue;
    }
    const reported = new Set<IndexedVirtualService>();
    for (const { destination, path } of routeDestinations(vs)) {
      if (hasSubset(destination)) {
        continue;
      }
      const host = String(destination?.host ?? '');
      for (const other of splitting.get(hostKey(host, vs.namespace)) ?? []) {
        // its own subset routes are evaluated for the same requests, before or after this one
        if (other === vs || reported.has(other)) {
          continue;
        }
        reported.add(other);
        ctx.report('IST0140', vs, path,
          `destination '${host}' has no subset, so the subsets VirtualService ${other.namespace}/${other.name} routes '${host}' to have no effect on requests this route sends (the gateway goes straight to the host's endpoints)`,
          `route to one of the subsets ${other.namespace}/${other.name} uses, or move its subset split into this VirtualService`);
      }
    }
  }
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

/**
 * Whether every match of the rule picks callers by `sourceLabels` (version affinity): such subset
 * routes are meant for those sidecars only, and a gateway request would never take them, so the
 * finding would be noise (a deliberate narrowing of istiod's check).
 */
function onlyForSelectedCallers(rule: any): boolean {
  const matches = matchesOf(rule);
  return matches.length > 0 && matches.every((m) => m?.sourceLabels && Object.keys(m.sourceLabels).length > 0);
}

function* routeDestinations(vs: IndexedVirtualService): Generator<{ destination: any; path: string; rule: any }> {
  const rules = httpRules(vs);
  for (let i = 0; i < rules.length; i++) {
    const routes: any[] = Array.isArray(rules[i]?.route) ? rules[i].route : [];
    for (let j = 0; j < routes.length; j++) {
      yield { destination: routes[j]?.destination, path: `spec.http[${i}].route[${j}].destination`, rule: rules[i] };
    }
  }
}
