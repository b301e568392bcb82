import { rewriteRequest } from '../../semantics/actions';
import { httpRequestView } from '../../semantics/request';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';

/**
 * ISTT003 / ISTT004: `rewrite.uri` replaces exactly the matched prefix characters (the core's
 * `rewriteRequest`, Envoy `prefix_rewrite`), so prefix `/v1` + rewrite `/` sends `/v1/users` as
 * `//users`, and prefix `/v1/` + rewrite `/api` sends it as `/apiusers`.
 */
export function checkRewrites(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    httpRules(vs).forEach((rule, i) => {
      const rewrite = rule?.rewrite?.uri;
      if (typeof rewrite !== 'string' || rewrite === '') {
        return;
      }
      matchesOf(rule).forEach((m, j) => {
        const prefix = m?.uri?.prefix;
        if (typeof prefix !== 'string' || prefix === '') {
          return;
        }
        const path = `spec.http[${i}].match[${j}].uri.prefix`;
        // ask the core's rewrite arithmetic what a request below the prefix becomes
        const entry = { vs, kind: 'http' as const, ruleIndex: i, matchIndex: j, rule, match: m, catchAll: false, callerDependent: false };
        const below = prefix.endsWith('/') ? `${prefix}users` : `${prefix}/users`;
        const sent = rewriteRequest(entry, httpRequestView({ authority: 'example', path: below })).path;
        if (sent.includes('//') && !below.includes('//')) {
          ctx.report('ISTT003', vs, path, `prefix '${prefix}' with rewrite.uri '${rewrite}' turns '${prefix}/users' into '${rewrite}/users': the rewrite replaces only the matched characters, leaving a double slash`,
            `match prefix '${prefix}/' with rewrite '${rewrite}', plus exact '${prefix}' with rewrite '${rewrite}' in a second rule`);
        } else if (!sent.endsWith('/users')) {
          ctx.report('ISTT004', vs, path, `prefix '${prefix}' with rewrite.uri '${rewrite}' turns '${prefix}users' into '${rewrite}users': the remaining path is glued onto the rewrite`,
            `end the rewrite with '/' ('${rewrite}/'), or drop the trailing '/' from the prefix`);
        }
      });
    });
  }
}
