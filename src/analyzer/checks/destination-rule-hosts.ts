import { AnalysisContext } from '../analysis-context';

/**
 * IST0174: a DestinationRule whose host is no Service or ServiceEntry visible from its namespace and
 * `exportTo` (istiod's analyzer lookup, `ManifestIndex.registryEntryFor`); its policies and subsets apply to nothing
 * (`pkg/config/analysis/analyzers/destinationrule/subset.go`). Hosts declared with `knownHosts` exist.
 */
export function checkDestinationRuleHosts(ctx: AnalysisContext): void {
  for (const dr of ctx.index.destinationRules) {
    const host = String(dr.spec.host ?? '');
    if (ctx.isKnownExternalHost(host, dr.host)) {
      continue;
    }
    if (!ctx.index.registryEntryFor(dr.host, dr.namespace, dr.exportTo)) {
      ctx.report('IST0174', dr, 'spec.host', `host '${host}' matches no Service or ServiceEntry visible from namespace ${dr.namespace}: the DestinationRule applies to no traffic`,
        'use the fully qualified name of an existing Service (short names resolve in the DestinationRule\'s namespace), create a ServiceEntry for an external host, or declare it with the knownHosts option');
    }
  }
}
