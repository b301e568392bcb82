import { cookieCondition } from '../../model/cookie-match';
import { fullMatch, regexProblem } from '../../semantics/string-match';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';

/**
 * The tutorials' cookie regex `^(.*?;)?(name=value)(;.*)?$` and its variants (`(.*;)?`, non-capturing
 * groups, no `^`): the prefix group must end right at `;`, but browsers separate cookies with `; `
 * (RFC 6265, section 4.2.1), so the pair is found only when it is the first cookie.
 */
const UNSPACED_PREFIX = /^\^?\((?:\?:)?\.\*\??;\)\?\((?:\?:)?((?:[^()\\[\]{}|*+?.^$]|\\.)+)\)/;

/**
 * ISTT009: a `cookie` header regex that finds its `name=value` pair only when it is the first
 * cookie. Confirmed by running the regex (the core's RE2 full match) on a browser's header with
 * another cookie first, and on the same header without the space.
 */
export function checkCookieRegexes(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    httpRules(vs).forEach((rule, i) => matchesOf(rule).forEach((m, j) => {
      for (const field of ['headers', 'withoutHeaders']) {
        for (const [name, value] of Object.entries(m?.[field] ?? {})) {
          const regex = (value as any)?.regex;
          // a regex Envoy rejects is IST0106 already
          if (name.toLowerCase() !== 'cookie' || typeof regex !== 'string' || regexProblem(regex) !== undefined) {
            continue;
          }
          const pair = unspacedPair(regex);
          if (pair === undefined) {
            continue;
          }
          const where = `${vs.namespace}/${vs.name}`;
          const browser = `session=1; ${pair}`;
          if (fullMatch(regex, browser, where) || !fullMatch(regex, `session=1;${pair}`, where)) {
            continue;
          }
          const eq = pair.indexOf('=');
          const fixed = cookieCondition(pair.slice(0, eq), pair.slice(eq + 1)).regex;
          ctx.report('ISTT009', vs, `spec.http[${i}].match[${j}].${field}.${name}.regex`,
            `cookie regex '${regex}' finds '${pair}' only when it is the first cookie: browsers separate cookies with '; ', so the header '${browser}' ${field === 'headers' ? 'does not match and the request takes another route' : 'is not excluded'}`,
            `accept spaces after ';': regex '${fixed}' (what CookieRoute emits)`);
        }
      }
    }));
  }
}

/** The literal `name=value` of a regex of the tutorials' family, else undefined. */
function unspacedPair(regex: string): string | undefined {
  const m = UNSPACED_PREFIX.exec(regex);
  if (!m) {
    return undefined;
  }
  const pair = m[1].replace(/\\(.)/g, '$1');
  return pair.indexOf('=') > 0 ? pair : undefined;
}
