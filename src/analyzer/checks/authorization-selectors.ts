import { ROOT_NAMESPACE } from '../../semantics/names';
import { AnalysisContext, formatLabels, stringRecord } from '../analysis-context';

/**
 * IST0127 for AuthorizationPolicies, as istioctl's `AuthorizationPoliciesAnalyzer`
 * (`pkg/config/analysis/analyzers/authz/authorizationpolicies.go`, `analyzeNoMatchingWorkloads`)
 * reports it: a selector no pod of the policy's namespace carries (any namespace for the root
 * namespace), or a namespace-wide policy in a namespace without pods. Such a policy protects nothing,
 * often because its labels drifted from the workload's. Skipped when the manifests hold no workload.
 */
export function checkAuthorizationSelectors(ctx: AnalysisContext): void {
  const policies = ctx.index.authorizationPolicies;
  if (policies.length === 0 || !ctx.index.hasWorkloads) {
    return;
  }
  const namespacesWithPods = new Set(ctx.index.pods.map((p) => p.namespace));
  for (const policy of policies) {
    // policies with targetRefs attach to gateways and waypoints, not to selected pods
    if (policy.spec.targetRef || (Array.isArray(policy.spec.targetRefs) && policy.spec.targetRefs.length > 0)) {
      continue;
    }
    const selector = stringRecord(policy.spec.selector?.matchLabels);
    const meshWide = policy.namespace === ROOT_NAMESPACE;
    if (Object.keys(selector).length === 0) {
      if (!meshWide && !namespacesWithPods.has(policy.namespace)) {
        ctx.report('IST0127', policy, undefined, `no matching workloads for this resource: namespace '${policy.namespace}' has no pods for this namespace-wide policy to apply to`,
          `deploy the workloads into namespace '${policy.namespace}', or move the policy to their namespace`);
      }
      continue;
    }
    if (ctx.podsMatching(meshWide ? undefined : policy.namespace, selector).length === 0) {
      const where = meshWide ? 'in any namespace' : `in namespace '${policy.namespace}'`;
      ctx.report('IST0127', policy, 'spec.selector.matchLabels', `no matching workloads for this resource with the following labels: ${formatLabels(selector)} (no pod ${where} carries them), so the policy protects nothing`,
        'give the selector the labels of the pods to protect (e.g. their app label), or remove the policy');
    }
  }
}
