import { matchCovers, matchesEveryRequest } from '../../semantics/match';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';

/**
 * IST0130 (a rule no request can reach) and IST0131 (a match entry an earlier entry already takes),
 * per VirtualService: Istio uses the first matching rule and stops emitting routes after a catch-all.
 */
export function checkRuleOrder(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    const earlier: { match: any; path: string }[] = [];
    let catchAll: number | undefined;
    httpRules(vs).forEach((rule, i) => {
      const matches = matchesOf(rule);
      if (catchAll !== undefined) {
        ctx.report('IST0130', vs, `spec.http[${i}]`, `rule spec.http[${i}]${ruleName(rule)} is unreachable: spec.http[${catchAll}] before it matches every request, and istiod drops the rules after it`,
          `move spec.http[${i}] before spec.http[${catchAll}], or give spec.http[${catchAll}] a match`);
        return;
      }
      if (matches.length === 0) {
        catchAll = i;
        return;
      }
      const coveredBy = matches.map((m, j) => {
        const before = [...earlier, ...matches.slice(0, j).map((match, k) => ({ match, path: `spec.http[${i}].match[${k}]` }))];
        return before.find((e) => matchCovers(e.match, m))?.path;
      });
      if (coveredBy.every((p) => p !== undefined)) {
        ctx.report('IST0130', vs, `spec.http[${i}]`, `rule spec.http[${i}]${ruleName(rule)} is unreachable: every match is already taken by an earlier match (${[...new Set(coveredBy)].join(', ')})`,
          `order more specific rules first, or remove spec.http[${i}]`);
      } else {
        coveredBy.forEach((p, j) => {
          if (p !== undefined) {
            ctx.report('IST0131', vs, `spec.http[${i}].match[${j}]`, `match spec.http[${i}].match[${j}] ${JSON.stringify(matches[j])} never wins: ${p} already matches every request it matches`,
              `remove spec.http[${i}].match[${j}], or move its rule before the one holding ${p}`);
          }
        });
      }
      matches.forEach((match, j) => earlier.push({ match, path: `spec.http[${i}].match[${j}]` }));
      if (matches.some(matchesEveryRequest)) {
        catchAll = i;
      }
    });
  }
}

function ruleName(rule: any): string {
  return rule?.name ? ` ('${rule.name}')` : '';
}
