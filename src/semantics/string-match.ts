import { RE2JS } from 're2js';

/**
 * Istio `StringMatch` evaluation with Envoy semantics: RE2 (never JS RegExp, whose syntax and
 * backtracking differ) and full-match regexes (§1.5, §10).
 */

const cache = new Map<string, RE2JS>();

/** Envoy rejects (and istiod's webhook refuses) longer patterns (`validateStringRegexp`). */
export const MAX_REGEX_LENGTH = 1024;

/**
 * Why Envoy would reject a regex, or undefined when it compiles as RE2 within the length limit
 * (`pkg/config/validation/validation.go` `validateStringRegexp`). The simulator and `check` both
 * ask this, so a pattern `route` refuses is an error in `check` too.
 */
export function regexProblem(pattern: string): string | undefined {
  if (pattern === '') {
    return 'regex is empty';
  }
  if (pattern.length > MAX_REGEX_LENGTH) {
    return `regex is ${pattern.length} characters long, more than the ${MAX_REGEX_LENGTH} istio allows`;
  }
  if (cache.has(pattern)) {
    return undefined;
  }
  try {
    cache.set(pattern, RE2JS.compile(pattern));
    return undefined;
  } catch (e: any) {
    return `regex '${pattern}' is not valid RE2 (${lowerFirst(String(e?.message ?? e))}); use RE2 syntax without look-around or back-references`;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Compiles (once) an RE2 pattern. `where` names the config location for error messages.
 */
export function compileRe2(pattern: string, where: string): RE2JS {
  const problem = regexProblem(pattern);
  if (problem) {
    throw new Error(`${where}: ${problem}`);
  }
  return cache.get(pattern)!;
}

/** RE2 full match: the pattern must match the entire value, as Envoy's `safe_regex` does. */
export function fullMatch(pattern: string, value: string, where: string): boolean {
  return compileRe2(pattern, where).matcher(value).matches();
}

/**
 * Whether a header or query StringMatch is really a presence check: `{}` or `regex: "*"`
 * (`pilot/pkg/networking/core/route/route.go` `canBeConvertedToPresentMatch`). Not for `uri`:
 * istiod sends a uri regex `*` to Envoy as a regex, which RE2 rejects.
 */
export function isPresenceMatch(sm: any): boolean {
  if (sm === null || sm === undefined || typeof sm !== 'object') {
    return true;
  }
  return sm.exact === undefined && sm.prefix === undefined && (sm.regex === undefined || sm.regex === '*');
}

/**
 * Evaluates a StringMatch against a value; `undefined` means the header/parameter is absent.
 */
export function stringMatches(sm: any, value: string | undefined, where: string): boolean {
  if (isPresenceMatch(sm)) {
    return value !== undefined;
  }
  if (value === undefined) {
    return false;
  }
  if (sm.exact !== undefined) {
    return value === String(sm.exact);
  }
  if (sm.prefix !== undefined) {
    return value.startsWith(String(sm.prefix));
  }
  return fullMatch(String(sm.regex), value, where);
}

/**
 * Envoy `regex_rewrite`: replaces every match (RE2 GlobalReplace), `\N` refers to capture group N.
 */
export function regexReplaceAll(pattern: string, input: string, substitution: string, where: string): string {
  const matcher = compileRe2(pattern, where).matcher(input);
  let out = '';
  let last = 0;
  while (matcher.find()) {
    out += input.slice(last, matcher.start());
    out += substitution.replace(/\\(\d|\\)/g, (_: string, g: string) => (g === '\\' ? '\\' : matcher.group(Number(g)) ?? ''));
    last = matcher.end();
  }
  return out + input.slice(last);
}
