import { judgeEndpoints } from '../../semantics/destinations';
import { AnalysisContext, formatLabels, SubsetInfo } from '../analysis-context';
import { FindingSeverity } from '../finding';

/**
 * ISTT001 (the Service selector includes a label the subsets use to tell versions apart, so every
 * other version's subset is empty) and IST0173 (a subset selects no pod). Subsets only filter the
 * Service's endpoints, so both end in 503 `UH` for the affected versions.
 */
export function checkSubsets(ctx: AnalysisContext): void {
  for (const [host, subsets] of ctx.subsetsByHost) {
    const svc = ctx.index.services.get(host);
    const list = [...subsets.values()];
    if (svc?.selector) {
      checkSelector(ctx, host, list);
    }
    // endpoints are judged per Service: only a Service whose pods are among the manifests can be judged
    if (!svc) {
      continue;
    }
    for (const subset of list) {
      const judged = judgeEndpoints(ctx.index, svc, subset.name, subset.labels);
      if (!judged.problem) {
        continue;
      }
      const routed = ctx.routedSubsets.has(`${host}|${subset.name}`);
      const behind = svc ? ` behind Service '${svc.namespace}/${svc.name}' (selector ${formatLabels(svc.selector ?? {})})` : '';
      ctx.report('IST0173', subset.rule, `spec.subsets[${subset.index}]`, `subset '${subset.name}' (labels ${formatLabels(subset.labels)}) selects no pod${behind}${routed ? ': requests routed to it get 503 UH' : '; no route sends traffic to it yet'}`,
        `give the pods of version '${subset.name}' the labels ${formatLabels(subset.labels)} (and a replica count above 0), or fix the subset labels`,
        routed ? undefined : FindingSeverity.WARNING);
    }
  }
}

function checkSelector(ctx: AnalysisContext, host: string, subsets: SubsetInfo[]): void {
  const svc = ctx.index.services.get(host)!;
  for (const [key, value] of Object.entries(svc.selector ?? {})) {
    const values = new Set(subsets.map((s) => s.labels[key]));
    // a key tells versions apart when the subsets disagree on it
    if (subsets.length < 2 || values.size < 2) {
      continue;
    }
    const starved = subsets.filter((s) => s.labels[key] !== undefined && s.labels[key] !== value).map((s) => `'${s.name}'`);
    const rules = [...new Set(subsets.map((s) => `${s.rule.namespace}/${s.rule.name}`))].join(', ');
    ctx.report('ISTT001', svc, `spec.selector.${key}`, `selector includes '${key}: ${value}', the label DestinationRule ${rules} subsets use to tell versions apart: subsets filter the Service's endpoints, so ${starved.length === 1 ? `subset ${starved[0]} gets` : `subsets ${starved.join(', ')} get`} no endpoints (503)`,
      `remove '${key}' from the Service selector and keep only the app identity (e.g. 'app'); '${key}' belongs on the pod template and the Deployment selector`);
  }
}
