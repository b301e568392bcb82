import { resolveShortname } from '../semantics/names';

/**
 * Finds versions removed in the same change that still had traffic in the previous output. Istio
 * applies configuration eventually: when the subset disappears before the routes that use it, those
 * requests get 503s. The safe way is two changes: retire the version (routes move away, subset
 * stays), then remove it. Costs one pass over each output.
 */
export function findUnsafeRemovals(previous: any[], next: any[]): string[] {
  const nextSubsets = new Set<string>();
  for (const rule of next.filter(isDestinationRule)) {
    for (const subset of rule.spec?.subsets ?? []) {
      nextSubsets.add(subsetKey(rule.spec.host, rule.metadata?.namespace, subset.name));
    }
  }
  const previousSubsets = new Set<string>();
  for (const rule of previous.filter(isDestinationRule)) {
    for (const subset of rule.spec?.subsets ?? []) {
      previousSubsets.add(subsetKey(rule.spec.host, rule.metadata?.namespace, subset.name));
    }
  }
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const vs of previous.filter((o) => o.kind === 'VirtualService')) {
    const namespace = vs.metadata?.namespace ?? 'default';
    for (const rule of [...(vs.spec?.http ?? []), ...(vs.spec?.tcp ?? [])]) {
      const routes: any[] = rule.route ?? [];
      for (const route of routes) {
        const subset = route.destination?.subset;
        const takesTraffic = routes.length === 1 || (route.weight ?? 0) > 0;
        if (!subset || !takesTraffic) {
          continue;
        }
        const key = subsetKey(route.destination.host, namespace, subset);
        if (previousSubsets.has(key) && !nextSubsets.has(key) && !reported.has(key)) {
          reported.add(key);
          const host = resolveShortname(route.destination.host, namespace);
          problems.push(`version '${subset}' of ${host} is removed while the current output still routes traffic to it (VirtualService ${namespace}/${vs.metadata?.name}): retire it first (retired: true), let that change sync, then remove it`);
        }
      }
    }
  }
  return problems;
}

function isDestinationRule(o: any): boolean {
  return o.kind === 'DestinationRule';
}

function subsetKey(host: string, namespace: string | undefined, subset: string): string {
  return `${resolveShortname(host, namespace ?? 'default')}|${subset}`;
}
