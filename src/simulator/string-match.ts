import { RE2JS } from 're2js';

/**
 * Istio `StringMatch` evaluation with Envoy semantics: RE2 (never JS RegExp, whose syntax and
 * backtracking differ) and full-match regexes (§1.5, §10).
 */

const cache = new Map<string, RE2JS>();

/**
 * Compiles (once) an RE2 pattern. `where` names the config location for error messages.
 */
export function compileRe2(pattern: string, where: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e: any) {
      throw new Error(`${where}: regex '${pattern}' is not valid RE2 (${e?.message ?? e}); use RE2 syntax without look-around or back-references`);
    }
    cache.set(pattern, re);
  }
  return re;
}

/** RE2 full match: the pattern must match the entire value, as Envoy's `safe_regex` does. */
export function fullMatch(pattern: string, value: string, where: string): boolean {
  return compileRe2(pattern, where).matcher(value).matches();
}

/**
 * Whether a StringMatch is really a presence check: `{}` or `regex: "*"` (§1.5).
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
