import { AnalysisContext } from './analysis-context';
import { checkAuthorizationReachability } from './checks/authorization-reachability';
import { checkAuthorizationSelectors } from './checks/authorization-selectors';
import { checkConflictingGateways } from './checks/conflicting-gateways';
import { checkCookieRegexes } from './checks/cookie-regexes';
import { checkDestinationRuleHosts } from './checks/destination-rule-hosts';
import { checkExternalNamePorts } from './checks/external-name-ports';
import { checkGatewayApiRoutes } from './checks/gateway-api-routes';
import { checkGatewayHosts } from './checks/gateway-hosts';
import { checkHostConflicts } from './checks/host-conflicts';
import { checkHttpMatches } from './checks/http-matches';
import { checkIngressSubsets } from './checks/ingress-subsets';
import { checkReferences } from './checks/references';
import { checkRegexes } from './checks/regexes';
import { checkRewrites } from './checks/rewrites';
import { checkRuleOrder } from './checks/rule-order';
import { checkServicePorts } from './checks/service-ports';
import { checkSubsets } from './checks/subsets';
import { AnalysisOptions, Finding, FindingSeverity } from './finding';

const SEVERITY_ORDER = [FindingSeverity.ERROR, FindingSeverity.WARNING, FindingSeverity.INFO];

/**
 * Finds Istio configuration that Istio rejects or that silently misroutes traffic: references to
 * missing subsets, gateways and hosts, unreachable rules, Service selectors that starve subsets,
 * subsets without pods, conflicting hosts, gateway-only `sourceLabels`, rewrites that produce `//`,
 * header matches Envoy never sees, cookie regexes that miss every cookie after the first,
 * AuthorizationPolicies that select no pod or deny a route's only callers, Gateways claiming one host
 * on the same workload and port, VirtualService hosts no server of their Gateway declares,
 * DestinationRules for unknown hosts; for Gateway API routes, parents and hostnames nothing accepts,
 * backends that do not resolve, missing ReferenceGrants and routes istiod drops. Cross-object checks
 * use maps built once, so the cost grows linearly with the number of
 * objects.
 *
 * @param manifests Kubernetes objects as parsed from YAML (Lists and nested arrays are flattened)
 * @param options objects that exist outside the manifests, codes to ignore
 * @returns findings, errors first
 */
export function analyze(manifests: any[], options: AnalysisOptions = {}): Finding[] {
  if (!Array.isArray(manifests)) {
    throw new Error(`manifests must be an array of Kubernetes objects, got ${typeof manifests}`);
  }
  const ctx = new AnalysisContext(manifests, options);
  // references first: it records which subsets receive traffic, which the subset check grades by
  checkReferences(ctx);
  checkGatewayHosts(ctx);
  checkIngressSubsets(ctx);
  checkConflictingGateways(ctx);
  checkDestinationRuleHosts(ctx);
  checkRegexes(ctx);
  checkSubsets(ctx);
  checkRuleOrder(ctx);
  checkHostConflicts(ctx);
  checkServicePorts(ctx);
  checkExternalNamePorts(ctx);
  checkHttpMatches(ctx);
  checkCookieRegexes(ctx);
  checkRewrites(ctx);
  checkAuthorizationSelectors(ctx);
  checkAuthorizationReachability(ctx);
  checkGatewayApiRoutes(ctx);
  return ctx.findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.finding.severity) - SEVERITY_ORDER.indexOf(b.finding.severity) || a.order - b.order)
    .map((e) => e.finding);
}

/**
 * Static analysis of Istio traffic configuration (jsii entry point of `analyze`).
 */
export class TrafficAnalyzer {
  /**
   * Analyzes Kubernetes and Istio objects, e.g. `Testing.synth(chart)` or parsed YAML.
   *
   * @param manifests Kubernetes objects (apiVersion, kind, metadata, spec)
   * @param options objects that exist outside the manifests, codes to ignore
   * @returns findings, errors first
   */
  public static analyze(manifests: any[], options?: AnalysisOptions): Finding[] {
    return analyze(manifests, options);
  }

  /**
   * Only the findings of severity ERROR.
   *
   * @param manifests Kubernetes objects (apiVersion, kind, metadata, spec)
   * @param options objects that exist outside the manifests, codes to ignore
   */
  public static errors(manifests: any[], options?: AnalysisOptions): Finding[] {
    return analyze(manifests, options).filter((f) => f.severity === FindingSeverity.ERROR);
  }

  private constructor() {}
}
