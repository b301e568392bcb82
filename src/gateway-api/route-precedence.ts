import { RE2JS } from 're2js';
import { HeaderCondition, HttpMatchModel } from '../model/release-model';
import { pathPrefixMatches } from '../semantics/gateway-api/matches';
import { compareMatchPrecedence, PrecedenceShape, sortByPrecedence } from '../semantics/gateway-api/precedence';
import { re2Quote } from '../validate/http-names';

/**
 * Gateway API rules are not tried in the order they are written: Istio splits every rule into one
 * entry per match, sorts all entries of a route table by its own precedence and takes the first
 * that matches (docs/gateway-api-semantics.md §2.5); the scheme is described in §12. The library's route tables are in
 * first-match order, so this file works out entries whose sorted order behaves exactly like that
 * order, or explains why none exists.
 */

/** A path condition with the meaning the library gives it; `toGatewayPath` writes it. */
export type PathCondition =
  /** Every path (written as `PathPrefix /`). */
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly value: string }
  /** Gateway API's own `PathPrefix`: the value itself or anything below it, by whole segments. */
  | { readonly kind: 'segments'; readonly value: string }
  /** A plain string prefix (Istio's `uri.prefix`), written as a RegularExpression. */
  | { readonly kind: 'string-prefix'; readonly value: string }
  | { readonly kind: 'regex'; readonly value: string };

/** One Gateway API match entry: a path and headers, all of which must hold. */
export interface GatewayMatch {
  readonly path: PathCondition;
  readonly headers: HeaderCondition[];
}

/** One entry of a route table: a match (undefined: the catch-all) and what happens to its requests. */
export interface Entry<Action> {
  readonly match?: GatewayMatch;
  readonly action: Action;
  /** Equal keys: the same action (same backends, rewrite, mirror and response headers). */
  readonly actionKey: string;
  /** The route in words, for errors. */
  readonly description: string;
  readonly owner: string;
}

/** The match as Gateway API writes it: its path type and value. */
export function toGatewayPath(path: PathCondition): { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string } {
  switch (path.kind) {
    case 'any': return { type: 'PathPrefix', value: '/' };
    case 'exact': return { type: 'Exact', value: path.value };
    case 'segments': return { type: 'PathPrefix', value: path.value };
    // RE2 full match: the literal prefix followed by anything.
    case 'string-prefix': return { type: 'RegularExpression', value: `${re2Quote(path.value)}.*` };
    case 'regex': return { type: 'RegularExpression', value: path.value };
  }
}

/**
 * The library's match in Gateway API terms. Istio's `uri.prefix` is a plain string prefix, while
 * Gateway API prefixes match whole segments, so a plain prefix becomes a regular expression; the
 * two halves of a segment-aware prefix (PathRoute) become one Gateway API prefix.
 */
export function gatewayMatch(match: HttpMatchModel): GatewayMatch {
  const headers = match.headers ?? [];
  if (match.segmentPrefix !== undefined && match.uriPrefix !== undefined) {
    return { path: { kind: 'segments', value: match.segmentPrefix }, headers };
  }
  if (match.uriExact !== undefined) {
    return { path: { kind: 'exact', value: match.uriExact }, headers };
  }
  if (match.uriRegex !== undefined) {
    return { path: { kind: 'regex', value: match.uriRegex }, headers };
  }
  if (match.uriPrefix !== undefined && match.uriPrefix !== '/') {
    return { path: { kind: 'string-prefix', value: match.uriPrefix }, headers };
  }
  return { path: { kind: 'any' }, headers };
}

/** What Istio's sort sees of a match: the path as written and the number of headers. */
function precedenceShape(match: GatewayMatch): PrecedenceShape {
  return { path: toGatewayPath(match.path), headers: match.headers.length, queryParams: 0 };
}

/**
 * Istio's order for two entries of one route table, asked of the semantics core
 * (docs/gateway-api-semantics.md §2.5). Negative when `a` is tried first.
 */
export function comparePrecedence(a: GatewayMatch | undefined, b: GatewayMatch | undefined): number {
  return compareMatchPrecedence(a && precedenceShape(a), b && precedenceShape(b));
}

/** Sorts entries as Istio does: a stable sort by precedence. */
export function effectiveOrder<A>(entries: Entry<A>[]): Entry<A>[] {
  return sortByPrecedence(entries, (entry) => entry.match && precedenceShape(entry.match));
}

const MAX_ADDED_ENTRIES = 64;

/**
 * Entries whose effective (sorted) order routes every request exactly as `intended` (first match
 * wins) does. When Istio would try an entry B before an earlier entry A that shares requests with
 * it, the requests of both get an entry of their own, A ∩ B with A's action, which Istio tries no
 * later than B; it is placed right after A, where it changes nothing in first-match terms. Throws
 * when the shared requests cannot be written as one Gateway API match or would still lose to B.
 */
export function resolvePrecedence<A>(intended: Entry<A>[], rewriteOf: (entry: Entry<A>) => string | undefined): Entry<A>[] {
  const entries = [...intended];
  for (let added = 0; ; added++) {
    const conflict = findConflict(entries);
    if (!conflict) {
      return entries;
    }
    const { first, second } = conflict;
    const shared = intersect(first.match, second.match);
    const reason = shared === undefined
      ? 'the requests both match cannot be written as one Gateway API match'
      : rewriteOf(first) !== undefined && !samePath(shared.path, first.match?.path)
        ? `its rewrite cannot be carried over to the requests both match (${describeMatch(shared)})`
        : comparePrecedence(shared, second.match) > 0
          ? `the requests both match (${describeMatch(shared)}) would still rank below it`
          : added >= MAX_ADDED_ENTRIES ? `more than ${MAX_ADDED_ENTRIES} extra rules would be needed` : undefined;
    if (reason !== undefined || shared === undefined) {
      throw new Error(`${first.owner}: route '${first.description}' must be tried before '${second.description}' (${second.owner}), but Gateway API ranks ${describeMatch(second.match)} above ${describeMatch(first.match)} (exact paths, then longer prefixes, then regular expressions, then more headers; docs/gateway-api-semantics.md §2.5), and ${reason}: make the two routes match different requests, or use ReleaseOutput.istio(), whose rules keep their order`);
    }
    entries.splice(entries.indexOf(first) + 1, 0, { ...first, match: shared });
  }
}

interface Conflict<A> {
  /** Meant to be tried first. */
  readonly first: Entry<A>;
  /** Tried first by Istio, with another action, for requests `first` also matches. */
  readonly second: Entry<A>;
}

/**
 * A pair that routes some request differently than intended: `second` comes after `first` in
 * intended order but before it in effective order, both may match one request, their actions
 * differ, and no entry with `first`'s action that Istio tries before `second` covers their shared
 * requests.
 */
function findConflict<A>(intended: Entry<A>[]): Conflict<A> | undefined {
  const sorted = effectiveOrder(intended);
  const position = new Map(sorted.map((entry, i) => [entry, i]));
  for (let i = 0; i < intended.length; i++) {
    const first = intended[i];
    for (let j = i + 1; j < intended.length; j++) {
      const second = intended[j];
      if (position.get(second)! > position.get(first)! || second.actionKey === first.actionKey || !overlaps(first.match, second.match)) {
        continue;
      }
      const shared = intersect(first.match, second.match);
      const covered = sorted.slice(0, position.get(second))
        .some((e) => e.actionKey === first.actionKey && shared !== undefined && covers(e.match, shared));
      if (!covered) {
        return { first, second };
      }
    }
  }
  return undefined;
}

/** Whether some request may match both (false only when provably none can). */
export function overlaps(a: GatewayMatch | undefined, b: GatewayMatch | undefined): boolean {
  if (a === undefined || b === undefined) {
    return true;
  }
  return pathsOverlap(a.path, b.path) && a.headers.every((h) => {
    const other = b.headers.find((o) => o.name === h.name);
    return other === undefined || headersOverlap(h, other);
  });
}

function pathsOverlap(a: PathCondition, b: PathCondition): boolean {
  if (a.kind === 'any' || b.kind === 'any') {
    return true;
  }
  if (a.kind === 'exact') {
    return pathMatches(b, a.value) ?? true;
  }
  if (b.kind === 'exact') {
    return pathMatches(a, b.value) ?? true;
  }
  if (a.kind === 'regex' || b.kind === 'regex') {
    return true;
  }
  const [x, y] = [a.value, b.value];
  if (a.kind === 'segments' && b.kind === 'segments') {
    return underSegments(x, y) || underSegments(y, x);
  }
  if (a.kind === 'string-prefix' && b.kind === 'string-prefix') {
    return x.startsWith(y) || y.startsWith(x);
  }
  const [segments, prefix] = a.kind === 'segments' ? [x, y] : [y, x];
  return segments.startsWith(prefix) || prefix.startsWith(`${segments}/`);
}

/** Whether `path` is `base` or below it by whole segments: Gateway API's PathPrefix, asked of the semantics core. */
function underSegments(path: string, base: string): boolean {
  return pathPrefixMatches(base, path);
}

/** Whether the condition takes the request path `value`; undefined when that cannot be told. */
function pathMatches(condition: PathCondition, value: string): boolean | undefined {
  switch (condition.kind) {
    case 'any': return true;
    case 'exact': return condition.value === value;
    case 'segments': return underSegments(value, condition.value);
    case 'string-prefix': return value.startsWith(condition.value);
    case 'regex': return fullMatch(condition.value, value);
  }
}

function headersOverlap(a: HeaderCondition, b: HeaderCondition): boolean {
  const exact = a.exact ?? b.exact;
  const other = a.exact !== undefined ? b : a;
  if (exact === undefined) {
    return true;
  }
  if (other.exact !== undefined) {
    return other.exact === exact;
  }
  if (other.prefix !== undefined) {
    return exact.startsWith(other.prefix);
  }
  return other.regex !== undefined ? fullMatch(other.regex, exact) ?? true : true;
}

function fullMatch(regex: string, value: string): boolean | undefined {
  try {
    return RE2JS.compile(regex).matches(value);
  } catch {
    return undefined;
  }
}

/** Whether every request `specific` takes is also taken by `general`. */
export function covers(general: GatewayMatch | undefined, specific: GatewayMatch | undefined): boolean {
  if (general === undefined) {
    return true;
  }
  if (specific === undefined) {
    return false;
  }
  return pathCovers(general.path, specific.path)
    && general.headers.every((h) => specific.headers.some((s) => sameHeader(h, s)));
}

function pathCovers(general: PathCondition, specific: PathCondition): boolean {
  if (general.kind === 'any' || samePath(general, specific)) {
    return true;
  }
  if (specific.kind === 'any') {
    return false;
  }
  if (specific.kind === 'exact') {
    return pathMatches(general, specific.value) === true;
  }
  if (general.kind === 'segments') {
    return (specific.kind === 'segments' && underSegments(specific.value, general.value))
      || (specific.kind === 'string-prefix' && specific.value.startsWith(`${general.value}/`));
  }
  if (general.kind === 'string-prefix') {
    return (specific.kind === 'segments' || specific.kind === 'string-prefix') && specific.value.startsWith(general.value);
  }
  return false;
}

function samePath(a: PathCondition, b: PathCondition | undefined): boolean {
  return b !== undefined && a.kind === b.kind && (a.kind === 'any' || (a as { value: string }).value === (b as { value: string }).value);
}

function sameHeader(a: HeaderCondition, b: HeaderCondition): boolean {
  return a.name === b.name && a.exact === b.exact && a.prefix === b.prefix && a.regex === b.regex;
}

/**
 * The requests both take, as one Gateway API match; undefined when that is not one match (two
 * different regular expressions, or two different conditions on one header, which Gateway API
 * cannot require together).
 */
export function intersect(a: GatewayMatch | undefined, b: GatewayMatch | undefined): GatewayMatch | undefined {
  if (a === undefined || b === undefined) {
    return a ?? b ?? { path: { kind: 'any' }, headers: [] };
  }
  const path = pathCovers(a.path, b.path) ? b.path : pathCovers(b.path, a.path) ? a.path : undefined;
  if (path === undefined) {
    return undefined;
  }
  const headers = [...b.headers];
  for (const h of a.headers) {
    const other = headers.find((o) => o.name === h.name);
    if (other === undefined) {
      headers.push(h);
    } else if (!sameHeader(h, other)) {
      return undefined;
    }
  }
  return { path, headers };
}

/** A match in words, for errors. */
export function describeMatch(match: GatewayMatch | undefined): string {
  if (match === undefined) {
    return 'every request';
  }
  const path = toGatewayPath(match.path);
  const words = [`${path.type} '${path.value}'`];
  for (const h of match.headers) {
    words.push(`header ${h.name} ${h.exact !== undefined ? `= '${h.exact}'` : h.prefix !== undefined ? `starting with '${h.prefix}'` : `~ '${h.regex}'`}`);
  }
  return words.join(' and ');
}
