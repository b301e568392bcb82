import { ServiceModel, StrategyModel } from '../model/release-model';

/**
 * Traffic choices take effect only through routes: without any (no hosts and meshRouting: false)
 * every caller reaches every pod of the Service, whatever the release declares. `routeKind` names
 * the objects the output would have written (VirtualService, HTTPRoute).
 */
export function rejectRoutingWithoutRoutes(model: ServiceModel, strategy: StrategyModel, routeKind: string): void {
  const noRoutes = !model.meshRouting && model.externalHosts.length === 0;
  const ignored: string[] = [];
  if (strategy.kind === 'canary') {
    ignored.push(`canaryWeight ${strategy.weight}`);
  } else {
    if (strategy.activeVersion !== undefined && noRoutes) {
      ignored.push(`activeVersion '${strategy.activeVersion}'`);
    }
    if (strategy.versionAffinity && !model.meshRouting) {
      // Affinity selects in-mesh callers, so it needs the mesh routes even with hosts.
      throw new Error(`${model.path}: versionAffinity needs the mesh ${routeKind}, but meshRouting is false: in-mesh callers would reach every version; remove meshRouting: false or versionAffinity`);
    }
  }
  if (noRoutes && ignored.length > 0) {
    throw new Error(`${model.path}: ${ignored.join(' and ')} would have no effect: the release writes no ${routeKind} (meshRouting: false and no hosts), so callers reach every pod of the Service; give the release hosts or leave meshRouting on`);
  }
}
