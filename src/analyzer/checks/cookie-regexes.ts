import { cookieCondition } from '../../model/cookie-match';
import { fullMatch, regexProblem } from '../../semantics/string-match';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';
import { FindingSeverity } from '../finding';

/**
 * The tutorials' cookie regex `^(.*?;)?(name=value)(;.*)?$` and its variants (`(.*;)?`, non-capturing
 * groups, no `^`): the prefix group must end right at `;`, but browsers separate cookies with `; `
 * (RFC 6265, section 4.2.1), so the pair is found only when it is the first cookie. Seed 004's
 * `^(.*?; )?(...)` is the same family with exactly one space: browsers match, but clients that write
 * the header themselves (curl, scripts, other proxies) often send `;` alone or several spaces.
 */
const TUTORIAL_PREFIX = /^\^?\((?:\?:)?\.\*\??; ?\)\?\((?:\?:)?((?:[^()\\[\]{}|*+?.^$]|\\.)+)\)/;

/**
 * ISTT009: a `cookie` header regex that finds its `name=value` pair only when it is the first
 * cookie (ERROR), or after another cookie only with exactly one space after `;` (WARNING). Confirmed
 * by running the regex (the core's RE2 full match) on headers with another cookie first.
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
          const pair = tutorialPair(regex);
          if (pair === undefined) {
            continue;
          }
          const where = `${vs.namespace}/${vs.name}`;
          const browser = `session=1; ${pair}`;
          const unspaced = `session=1;${pair}`;
          const missed = field === 'headers' ? 'does not match and the request takes another route' : 'is not excluded';
          const eq = pair.indexOf('=');
          const fix = `accept any spaces after ';': regex '${cookieCondition(pair.slice(0, eq), pair.slice(eq + 1)).regex}' (what CookieRoute emits)`;
          const path = `spec.http[${i}].match[${j}].${field}.${name}.regex`;
          if (!fullMatch(regex, browser, where)) {
            if (fullMatch(regex, unspaced, where)) {
              ctx.report('ISTT009', vs, path,
                `cookie regex '${regex}' finds '${pair}' only when it is the first cookie: browsers separate cookies with '; ', so the header '${browser}' ${missed}`, fix);
            }
          } else if (!fullMatch(regex, unspaced, where)) {
            ctx.report('ISTT009', vs, path,
              `cookie regex '${regex}' finds '${pair}' after another cookie only with exactly one space after ';': the header '${unspaced}', as curl, scripts and some proxies write it, ${missed}`,
              fix, FindingSeverity.WARNING);
          }
        }
      }
    }));
  }
}

/** The literal `name=value` of a regex of the tutorials' family, else undefined. */
function tutorialPair(regex: string): string | undefined {
  const m = TUTORIAL_PREFIX.exec(regex);
  if (!m) {
    return undefined;
  }
  const pair = m[1].replace(/\\(.)/g, '$1');
  return pair.indexOf('=') > 0 ? pair : undefined;
}
