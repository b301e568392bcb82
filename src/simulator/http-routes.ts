import { IndexedVirtualService, labelsSubsetOf, resolveGatewayName } from './manifest-index';
import { NormalizedRequest } from './request';
import { isPresenceMatch, stringMatches } from './string-match';

/**
 * The proxy a route table is built for: gateway proxies use `{ns/name}` as gateway set, sidecars
 * `{mesh}` (§1.2).
 */
export interface ProxyContext {
  readonly gatewayNames: Set<string>;
  readonly labels: Record<string, string>;
  readonly namespace: string;
  /** Listener (sidecar) or server (gateway) port. */
  readonly port: number;
}

/** One Envoy route: one match entry of one VirtualService rule (§1.1). */
export interface HttpRoute {
  readonly vs: IndexedVirtualService;
  readonly ruleIndex: number;
  /** Undefined for a rule without `match`. */
  readonly matchIndex?: number;
  readonly rule: any;
  readonly match?: any;
  readonly catchAll: boolean;
}

/** A human-readable config location, for error messages and notes. */
export function location(route: HttpRoute, field?: string): string {
  const m = route.matchIndex === undefined ? '' : `.match[${route.matchIndex}]`;
  return `virtualservice ${route.vs.namespace}/${route.vs.name} http[${route.ruleIndex}]${m}${field ? `.${field}` : ''}`;
}

/**
 * The routes istiod emits for one VirtualService on one proxy: match entries failing the static
 * filters (port, gateways, sourceLabels, sourceNamespace) are dropped, and nothing after the first
 * catch-all is emitted (§1.1–§1.3).
 */
export function buildHttpRoutes(vs: IndexedVirtualService, proxy: ProxyContext): HttpRoute[] {
  const out: HttpRoute[] = [];
  const rules: any[] = vs.spec.http ?? [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] ?? {};
    const matches: any[] = rule.match ?? [];
    if (matches.length === 0) {
      out.push({ vs, ruleIndex, rule, catchAll: true });
      // a rule without match ends the VS even for proxies that would drop nothing else
      break;
    }
    let sawCatchAll = false;
    for (let matchIndex = 0; matchIndex < matches.length; matchIndex++) {
      const match = matches[matchIndex] ?? {};
      if (!keptForProxy(match, vs.namespace, proxy)) {
        continue;
      }
      const catchAll = isCatchAll(match);
      out.push({ vs, ruleIndex, matchIndex, rule, match, catchAll });
      if (catchAll) {
        sawCatchAll = true;
        break;
      }
    }
    if (sawCatchAll) {
      break;
    }
  }
  return out;
}

/**
 * istiod's `sourceMatchHTTP` plus the port filter: match-level gateways, when present, replace the
 * sourceLabels/sourceNamespace check entirely.
 */
function keptForProxy(match: any, vsNamespace: string, proxy: ProxyContext): boolean {
  if (match.port !== undefined && Number(match.port) !== proxy.port) {
    return false;
  }
  const gateways: string[] = match.gateways ?? [];
  if (gateways.length > 0) {
    return gateways.some((g) => proxy.gatewayNames.has(resolveGatewayName(String(g), vsNamespace)));
  }
  if (!labelsSubsetOf(match.sourceLabels, proxy.labels)) {
    return false;
  }
  return !match.sourceNamespace || match.sourceNamespace === proxy.namespace;
}

function nonEmpty(obj: any): boolean {
  return obj !== undefined && obj !== null && Object.keys(obj).length > 0;
}

/** A route matching every path with no header/query condition (istiod `IsCatchAllRoute`). */
function isCatchAll(match: any): boolean {
  const uri = match.uri;
  const pathCatchAll = uri === undefined || isPresenceMatch(uri) && uri.regex === undefined || uri.prefix === '/';
  return pathCatchAll
    && !nonEmpty(match.headers) && !nonEmpty(match.withoutHeaders) && !nonEmpty(match.queryParams)
    && match.method === undefined && match.authority === undefined && match.scheme === undefined;
}

/** Envoy's view of request headers: pseudo-headers are derived from the request line. */
function headerValue(req: NormalizedRequest, name: string): string | undefined {
  switch (name.toLowerCase()) {
    case ':authority': return req.authority;
    case ':method': return req.method;
    case ':path': return req.path;
    case ':scheme': return req.scheme ?? 'http';
    // Host lives in `:authority`, so a `host` matcher sees no header (§1.5)
    case 'host': return undefined;
    default: return req.headers.get(name.toLowerCase());
  }
}

/**
 * Whether the request satisfies every runtime condition of the route (§1.5).
 */
export function routeMatches(route: HttpRoute, req: NormalizedRequest): boolean {
  const match = route.match;
  if (!match) {
    return true;
  }
  if (match.uri !== undefined && !uriMatches(match.uri, !!match.ignoreUriCase, req, location(route, 'uri'))) {
    return false;
  }
  for (const [name, sm] of Object.entries(match.headers ?? {})) {
    if (!stringMatches(sm, headerValue(req, name), location(route, `headers.${name}`))) {
      return false;
    }
  }
  for (const [name, sm] of Object.entries(match.withoutHeaders ?? {})) {
    const value = headerValue(req, name);
    // presence form: matches only when absent; otherwise a missing header counts as ""
    const ok = isPresenceMatch(sm)
      ? value === undefined
      : !stringMatches(sm, value ?? '', location(route, `withoutHeaders.${name}`));
    if (!ok) {
      return false;
    }
  }
  for (const [name, sm] of Object.entries(match.queryParams ?? {})) {
    if (!stringMatches(sm, req.query.get(name), location(route, `queryParams.${name}`))) {
      return false;
    }
  }
  if (match.method !== undefined && !stringMatches(match.method, req.method, location(route, 'method'))) {
    return false;
  }
  if (match.authority !== undefined && !stringMatches(match.authority, req.authority, location(route, 'authority'))) {
    return false;
  }
  if (match.scheme !== undefined && !stringMatches(match.scheme, req.scheme ?? 'http', location(route, 'scheme'))) {
    return false;
  }
  return true;
}

function uriMatches(uri: any, ignoreCase: boolean, req: NormalizedRequest, where: string): boolean {
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (uri.exact !== undefined) {
    return fold(req.pathOnly) === fold(String(uri.exact));
  }
  if (uri.prefix !== undefined) {
    // a plain string prefix of `:path`, not segment-aware
    return fold(req.path).startsWith(fold(String(uri.prefix)));
  }
  if (uri.regex !== undefined) {
    // ignoreUriCase does not apply to regex; use (?i)
    return stringMatches({ regex: uri.regex }, req.pathOnly, where);
  }
  return true;
}
