import { regexLocations } from '../../semantics/match';
import { regexProblem } from '../../semantics/string-match';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0106: a regex Envoy would reject (not RE2, empty, or longer than istio allows). It is the same
 * validation the route simulator runs, so a VirtualService `route` refuses to evaluate never passes
 * `check`.
 */
export function checkRegexes(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    for (const { path, pattern } of regexLocations(vs.spec)) {
      const problem = regexProblem(pattern);
      if (problem) {
        ctx.report('IST0106', vs, path, `${problem}: istiod's webhook rejects the VirtualService, and Envoy would reject the route configuration`,
          pattern === '*' ? "to match any value use a presence match ('{}') for headers, or prefix '/' for the uri" : 'write the pattern in RE2 syntax (https://github.com/google/re2/wiki/Syntax)');
      }
    }
  }
}
