import { isPresenceMatch } from '../semantics/string-match';

/**
 * Turns VirtualService match entries into short phrases reviewers read without knowing the
 * Istio API: `cookie x-version=v2`, `path /v1/…`, `callers labelled version=blue`.
 */

/** What the library's cookie condition looks like: `^(.*?;\s*)?(name=value)(;.*)?$` (see model/cookie-match). */
const COOKIE_REGEX = /^\^\(\.\*\?;\\s\*\)\?\((.*)\)\(;\.\*\)\?\$$/;

/** Words for a whole HTTP match list: entries are OR-ed, the fields of one entry AND-ed (§1.1). */
export function describeHttpMatches(matches: any[], context: MatchContext): string {
  if (matches.length === 0) {
    return 'any request';
  }
  const words = matches.map((m) => describeHttpMatch(m ?? {}, context));
  return dedupe(words).join(' or ');
}

/** Words for a TCP match list (§3). */
export function describeTcpMatches(matches: any[], context: MatchContext): string {
  if (matches.length === 0) {
    return 'any connection';
  }
  return dedupe(matches.map((m) => {
    const parts = [...sourceParts(m ?? {}, context)];
    if (m?.port !== undefined) {
      parts.unshift(`port ${m.port}`);
    }
    for (const subnet of m?.destinationSubnets ?? []) {
      parts.push(`to ${subnet}`);
    }
    return parts.length > 0 ? parts.join(' and ') : 'any connection';
  })).join(' or ');
}

/** Where the table is evaluated; decides which static selectors are worth mentioning. */
export interface MatchContext {
  /** Gateway tables never show `sourceLabels`: they were already evaluated against the gateway pod. */
  readonly atGateway: boolean;
}

/** Words for one HTTP match entry. */
export function describeHttpMatch(match: any, context: MatchContext): string {
  const parts: string[] = [];
  if (match.uri !== undefined) {
    parts.push(describeUri(match.uri, !!match.ignoreUriCase));
  }
  if (match.method !== undefined) {
    parts.push(`method ${describeValue(match.method)}`);
  }
  if (match.authority !== undefined) {
    parts.push(`authority ${describeValue(match.authority)}`);
  }
  if (match.scheme !== undefined) {
    parts.push(`scheme ${describeValue(match.scheme)}`);
  }
  for (const name of Object.keys(match.headers ?? {}).sort()) {
    parts.push(describeHeader(name, match.headers[name]));
  }
  for (const name of Object.keys(match.withoutHeaders ?? {}).sort()) {
    parts.push(`not ${describeHeader(name, match.withoutHeaders[name])}`);
  }
  for (const name of Object.keys(match.queryParams ?? {}).sort()) {
    parts.push(describeQuery(name, match.queryParams[name]));
  }
  if (match.port !== undefined) {
    parts.push(`port ${match.port}`);
  }
  if (!context.atGateway) {
    parts.push(...sourceParts(match, context));
  }
  return parts.length > 0 ? parts.join(' and ') : 'any request';
}

function sourceParts(match: any, context: MatchContext): string[] {
  if (context.atGateway) {
    return [];
  }
  const parts: string[] = [];
  const labels = Object.entries(match.sourceLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (labels.length > 0) {
    parts.push(`callers labelled ${labels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  }
  if (match.sourceNamespace) {
    parts.push(`callers in namespace ${match.sourceNamespace}`);
  }
  return parts;
}

function describeUri(uri: any, ignoreCase: boolean): string {
  const anyCase = ignoreCase ? ' (any case)' : '';
  if (uri.exact !== undefined) {
    return `path ${uri.exact}${anyCase}`;
  }
  if (uri.prefix !== undefined) {
    return `path ${uri.prefix}…${anyCase}`;
  }
  if (uri.regex !== undefined) {
    return `path matching ${uri.regex}`;
  }
  return 'any path';
}

function describeHeader(name: string, sm: any): string {
  const lower = name.toLowerCase();
  if (lower === 'cookie' && typeof sm?.regex === 'string') {
    const cookie = COOKIE_REGEX.exec(sm.regex);
    if (cookie) {
      return `cookie ${unquoteRe2(cookie[1])}`;
    }
  }
  if (isPresenceMatch(sm)) {
    return `header ${lower} present`;
  }
  return `header ${lower}: ${describeValue(sm)}`;
}

function describeQuery(name: string, sm: any): string {
  if (isPresenceMatch(sm)) {
    return `query ${name} present`;
  }
  if (sm?.exact !== undefined) {
    return `query ${name}=${sm.exact}`;
  }
  return `query ${name}: ${describeValue(sm)}`;
}

/** Exact values are shown as is, prefixes with a trailing `…`, regexes as `matching re`. */
function describeValue(sm: any): string {
  if (sm?.exact !== undefined) {
    return String(sm.exact);
  }
  if (sm?.prefix !== undefined) {
    return `${sm.prefix}…`;
  }
  if (sm?.regex !== undefined) {
    return `matching ${sm.regex}`;
  }
  return 'anything';
}


/** Reverses RE2 quoting (`QuoteMeta`): every escaped character stands for itself. */
function unquoteRe2(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function dedupe(words: string[]): string[] {
  return words.filter((w, i) => words.indexOf(w) === i);
}
