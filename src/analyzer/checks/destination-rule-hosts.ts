import { isAnalyzed } from '../../semantics/analysis-exemptions';
import { analyzerFqdn, RegistryScopes } from '../../semantics/registry-scopes';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0174: a DestinationRule whose host is no Service or ServiceEntry visible from its namespace and
 * `exportTo` (istiod's analyzer lookup, `RegistryScopes`); its policies and subsets apply to nothing
 * (`pkg/config/analysis/analyzers/destinationrule/subset.go`). Hosts declared with `knownHosts` exist.
 */
export function checkDestinationRuleHosts(ctx: AnalysisContext): void {
  const scopes = RegistryScopes.of(ctx.index);
  for (const dr of ctx.index.destinationRules) {
    const host = String(dr.spec.host ?? '');
    if (!isAnalyzed(dr) || ctx.isKnownExternalHost(host, analyzerFqdn(dr.namespace, host.toLowerCase()))) {
      continue;
    }
    if (!scopes.lookup(dr.namespace, dr.exportTo, host)) {
      ctx.report('IST0174', dr, 'spec.host', `host '${host}' matches no Service or ServiceEntry visible from namespace ${dr.namespace}: the DestinationRule applies to no traffic`,
        'use the fully qualified name of an existing Service (short names resolve in the DestinationRule\'s namespace), create a ServiceEntry for an external host, or declare it with the knownHosts option');
    }
  }
}
