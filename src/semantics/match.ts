import { labelsSubsetOf, resolveGatewayName } from './names';
import { headerValue, HttpRequestView } from './request';
import { fullMatch, isPresenceMatch, regexProblem, stringMatches } from './string-match';

/**
 * VirtualService `HTTPMatchRequest` semantics, once for every tool: what Envoy route istiod makes of
 * a match (`pilot/pkg/networking/core/route/route.go` `TranslateRouteMatch`), which matches are
 * catch-alls (`IsCatchAllRoute`), which proxies keep a match (`sourceMatchHTTP`), whether a request
 * matches, and whether one match covers another.
 */

/** The proxy a route list is built for (gateway set `{ns/name}` on gateways, `{mesh}` on sidecars). */
export interface ProxyIdentity {
  readonly gatewayNames: ReadonlySet<string>;
  /** Pod labels of the proxy: the caller's pod, or the gateway pod. */
  readonly labels: Record<string, string>;
  readonly namespace: string;
  /** Listener (sidecar) or server (gateway) port; 0 when unknown (port conditions are then kept). */
  readonly port: number;
}

function nonEmpty(obj: any): boolean {
  return obj !== undefined && obj !== null && typeof obj === 'object' && Object.keys(obj).length > 0;
}

function present(value: any): boolean {
  return value !== undefined && value !== null;
}

/** The `uri` StringMatch kind istiod translates: exact, prefix, regex, or none (`prefix: /`). */
function uriKind(uri: any): 'exact' | 'prefix' | 'regex' | undefined {
  if (!uri || typeof uri !== 'object') {
    return undefined;
  }
  if (present(uri.exact)) {
    return 'exact';
  }
  if (present(uri.prefix)) {
    return 'prefix';
  }
  if (present(uri.regex)) {
    return 'regex';
  }
  return undefined;
}

/**
 * Whether Envoy gets a catch-all route from this match (`route.go` `IsCatchAllRoute` applied to
 * `TranslateRouteMatch`): the path is any (`uri` absent or without a match type), prefix `/` or
 * regex `.*`, and there is no header, query, method, authority or scheme condition (a `{}` or
 * `regex: '*'` header is a presence matcher, still a condition). Static selectors (`port`,
 * `gateways`, `sourceLabels`, `sourceNamespace`) do not count: they decide whether the route exists
 * for a proxy, not whether it matches. A uri `regex: '*'` is no catch-all: istiod sends it to Envoy
 * as a regex, which RE2 rejects.
 */
export function isCatchAllMatch(match: any): boolean {
  if (!match || typeof match !== 'object') {
    return true;
  }
  const kind = uriKind(match.uri);
  const anyPath = kind === undefined || (kind === 'prefix' && String(match.uri.prefix) === '/') || (kind === 'regex' && String(match.uri.regex) === '.*');
  return anyPath && !nonEmpty(match.headers) && !nonEmpty(match.withoutHeaders) && !nonEmpty(match.queryParams)
    && !present(match.method) && !present(match.authority) && !present(match.scheme);
}

/** Whether a match entry selects callers statically (`sourceLabels` / `sourceNamespace`). */
export function selectsCallers(match: any): boolean {
  return nonEmpty(match?.sourceLabels) || !!match?.sourceNamespace;
}

/** Whether a match entry carries any static selector (`port`, `gateways`, `sourceLabels`, `sourceNamespace`). */
export function hasStaticSelector(match: any): boolean {
  return selectsCallers(match) || present(match?.port) || (Array.isArray(match?.gateways) && match.gateways.length > 0);
}

/**
 * Whether a match entry matches every request on every proxy the VirtualService applies to: a
 * catch-all with no static selector. A rule holding such a match ends the VirtualService for
 * everyone.
 */
export function matchesEveryRequest(match: any): boolean {
  return isCatchAllMatch(match) && !hasStaticSelector(match);
}

/**
 * Whether `proxy` keeps the match (`route.go` `TranslateRoute` port filter, then `sourceMatchHTTP`):
 * `port` must equal the listener port; match-level `gateways`, when present, decide alone (and
 * `sourceLabels` are then ignored); otherwise `sourceLabels` must be a subset of the proxy's pod
 * labels and `sourceNamespace` its namespace.
 */
export function keptForProxy(match: any, vsNamespace: string, proxy: ProxyIdentity): boolean {
  if (!match) {
    return true;
  }
  // port 0 stands for a listener whose port is unknown (a Gateway outside the manifests)
  if (present(match.port) && Number(match.port) !== 0 && proxy.port !== 0 && Number(match.port) !== proxy.port) {
    return false;
  }
  const gateways: any[] = Array.isArray(match.gateways) ? match.gateways : [];
  if (gateways.length > 0) {
    return gateways.some((g) => proxy.gatewayNames.has(resolveGatewayName(String(g), vsNamespace)));
  }
  if (!labelsSubsetOf(match.sourceLabels, proxy.labels)) {
    return false;
  }
  return !match.sourceNamespace || match.sourceNamespace === proxy.namespace;
}

/**
 * Whether the request satisfies every runtime condition of the match: path (exact / plain-string
 * prefix / RE2 full match), headers (AND), withoutHeaders (inverted, missing counts as empty unless
 * a presence match), query parameters, method, authority, scheme. `where` names the config location
 * for regex errors.
 */
export function requestMatches(match: any, req: HttpRequestView, where: string): boolean {
  if (!match) {
    return true;
  }
  if (!uriMatches(match.uri, !!match.ignoreUriCase, req, `${where}.uri`)) {
    return false;
  }
  for (const name of Object.keys(match.headers ?? {})) {
    if (!stringMatches(match.headers[name], headerValue(req, name), `${where}.headers.${name}`)) {
      return false;
    }
  }
  for (const name of Object.keys(match.withoutHeaders ?? {})) {
    const sm = match.withoutHeaders[name];
    const value = headerValue(req, name);
    const ok = isPresenceMatch(sm) ? value === undefined : !stringMatches(sm, value ?? '', `${where}.withoutHeaders.${name}`);
    if (!ok) {
      return false;
    }
  }
  for (const name of Object.keys(match.queryParams ?? {})) {
    if (!stringMatches(match.queryParams[name], req.query.get(name), `${where}.queryParams.${name}`)) {
      return false;
    }
  }
  if (present(match.method) && !stringMatches(match.method, req.method, `${where}.method`)) {
    return false;
  }
  if (present(match.authority) && !stringMatches(match.authority, req.authority, `${where}.authority`)) {
    return false;
  }
  if (present(match.scheme) && !stringMatches(match.scheme, req.scheme ?? 'http', `${where}.scheme`)) {
    return false;
  }
  return true;
}

function uriMatches(uri: any, ignoreCase: boolean, req: HttpRequestView, where: string): boolean {
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  switch (uriKind(uri)) {
    case 'exact':
      // Envoy's `path` ignores the query string
      return fold(req.pathOnly) === fold(String(uri.exact));
    case 'prefix':
      // a plain string prefix of `:path`, not segment-aware
      return fold(req.path).startsWith(fold(String(uri.prefix)));
    case 'regex':
      // ignoreUriCase does not apply to regex; use (?i)
      return fullMatch(String(uri.regex), req.pathOnly, where);
    default:
      return true;
  }
}

/**
 * Whether every request (on every proxy) matched by `specific` is also matched by `general`, so a
 * `specific` entry placed after `general` never wins. Errs on the side of "no": it only says yes
 * when the conditions are provably covered.
 */
export function matchCovers(general: any, specific: any): boolean {
  const g = general ?? {};
  const s = specific ?? {};
  if (present(g.port) && g.port !== s.port) {
    return false;
  }
  if (g.sourceNamespace && g.sourceNamespace !== s.sourceNamespace) {
    return false;
  }
  if (!labelsCovered(g.sourceLabels, s.sourceLabels)) {
    return false;
  }
  if (Array.isArray(g.gateways) && g.gateways.length > 0) {
    const gws = new Set(g.gateways.map(String));
    if (!Array.isArray(s.gateways) || s.gateways.length === 0 || !s.gateways.every((x: any) => gws.has(String(x)))) {
      return false;
    }
  }
  if (!uriCovers(g, s)) {
    return false;
  }
  if (!['scheme', 'method', 'authority'].every((f) => stringMatchCovers(g[f], s[f]))) {
    return false;
  }
  for (const field of ['headers', 'queryParams']) {
    const gm = lowerKeys(g[field], field === 'headers');
    const sm = lowerKeys(s[field], field === 'headers');
    if (!Object.keys(gm).every((k) => k in sm && stringMatchCovers(gm[k], sm[k]))) {
      return false;
    }
  }
  const gw = lowerKeys(g.withoutHeaders, true);
  const sw = lowerKeys(s.withoutHeaders, true);
  return Object.keys(gw).every((k) => k in sw && JSON.stringify(gw[k] ?? {}) === JSON.stringify(sw[k] ?? {}));
}

/** Path coverage with the uri's own rules: no match type or prefix `/` or regex `.*` is any path. */
function uriCovers(g: any, s: any): boolean {
  const gk = uriKind(g.uri);
  if (gk === undefined || (gk === 'prefix' && String(g.uri.prefix) === '/') || (gk === 'regex' && String(g.uri.regex) === '.*')) {
    return true;
  }
  if (Boolean(g.ignoreUriCase) !== Boolean(s.ignoreUriCase)) {
    return false;
  }
  const sk = uriKind(s.uri);
  if (gk === 'exact') {
    return sk === 'exact' && String(s.uri.exact) === String(g.uri.exact);
  }
  if (gk === 'prefix') {
    return (sk === 'exact' || sk === 'prefix') && String(s.uri[sk]).startsWith(String(g.uri.prefix));
  }
  if (sk === 'regex') {
    return String(s.uri.regex) === String(g.uri.regex);
  }
  if (sk === 'exact' && regexProblem(String(g.uri.regex)) === undefined) {
    return fullMatch(String(g.uri.regex), String(s.uri.exact), 'match');
  }
  return false;
}

/** Whether every value `specific` accepts is accepted by `general` (header-style StringMatch). */
export function stringMatchCovers(general: any, specific: any): boolean {
  if (!present(general)) {
    return true;
  }
  if (!present(specific)) {
    return false;
  }
  if (isPresenceMatch(general)) {
    return true;
  }
  if (present(general.exact)) {
    return present(specific.exact) && String(specific.exact) === String(general.exact);
  }
  if (present(general.prefix)) {
    const value = specific.exact ?? specific.prefix;
    return present(value) && String(value).startsWith(String(general.prefix));
  }
  if (present(specific.regex)) {
    return String(specific.regex) === String(general.regex);
  }
  if (present(specific.exact) && regexProblem(String(general.regex)) === undefined) {
    return fullMatch(String(general.regex), String(specific.exact), 'match');
  }
  return false;
}

function labelsCovered(general: any, specific: any): boolean {
  const s = specific ?? {};
  return Object.keys(general ?? {}).every((k) => s[k] !== undefined && String(s[k]) === String(general[k]));
}

function lowerKeys(value: any, lower: boolean): Record<string, any> {
  const out: Record<string, any> = {};
  if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      out[lower ? k.toLowerCase() : k] = value[k];
    }
  }
  return out;
}

const validated = new WeakSet<object>();

/**
 * Throws for the first regex of a VirtualService that Envoy would reject: Envoy refuses the whole
 * route configuration then, so a request on it is not routed by any rule. `name` is `ns/name`.
 */
export function assertValidRegexes(spec: any, name: string): void {
  if (!spec || typeof spec !== 'object' || validated.has(spec)) {
    return;
  }
  for (const { path, pattern } of regexLocations(spec)) {
    const problem = regexProblem(pattern);
    if (problem) {
      throw new Error(`virtualservice ${name} ${path.replace(/^spec\./, '').replace(/\.regex$/, '')}: ${problem}`);
    }
  }
  validated.add(spec);
}

/** A regex in a VirtualService, with where it sits. */
export interface RegexLocation {
  /** Path inside the object, e.g. `spec.http[0].match[1].uri.regex`. */
  readonly path: string;
  readonly pattern: string;
}

/**
 * Every regex of a VirtualService spec that reaches Envoy as an RE2 program: http match fields
 * (header-style `regex: '*'` becomes a presence matcher and is left out; a uri `regex: '*'` is not),
 * `rewrite.uriRegexRewrite.match` and CORS `allowOrigins`.
 */
export function regexLocations(spec: any): RegexLocation[] {
  const out: RegexLocation[] = [];
  const http: any[] = Array.isArray(spec?.http) ? spec.http : [];
  const add = (path: string, sm: any, presenceAllowed: boolean) => {
    if (!sm || typeof sm !== 'object' || !present(sm.regex) || present(sm.exact) || present(sm.prefix)) {
      return;
    }
    if (presenceAllowed && String(sm.regex) === '*') {
      return;
    }
    out.push({ path: `${path}.regex`, pattern: String(sm.regex) });
  };
  http.forEach((rule, i) => {
    const matches: any[] = Array.isArray(rule?.match) ? rule.match : [];
    matches.forEach((m, j) => {
      const base = `spec.http[${i}].match[${j}]`;
      add(`${base}.uri`, m?.uri, false);
      for (const field of ['headers', 'withoutHeaders', 'queryParams']) {
        for (const name of Object.keys(m?.[field] ?? {})) {
          add(`${base}.${field}.${name}`, m[field][name], true);
        }
      }
      for (const field of ['method', 'authority', 'scheme']) {
        add(`${base}.${field}`, m?.[field], true);
      }
    });
    const rewrite = rule?.rewrite?.uriRegexRewrite;
    if (rewrite && present(rewrite.match)) {
      out.push({ path: `spec.http[${i}].rewrite.uriRegexRewrite.match`, pattern: String(rewrite.match) });
    }
    const origins: any[] = Array.isArray(rule?.corsPolicy?.allowOrigins) ? rule.corsPolicy.allowOrigins : [];
    origins.forEach((o, k) => add(`spec.http[${i}].corsPolicy.allowOrigins[${k}]`, o, false));
  });
  return out;
}

/**
 * Whether some request can satisfy both match entries (of routes kept for the same proxy): the
 * question a gateway virtual host raises when routes of several VirtualServices meet there, since
 * their order across VirtualServices is creation order (`route.go` `SortVHostRoutes` keeps it and
 * only moves catch-alls last). Field by field, because conditions on different fields are
 * independent: two paths, or two values of one header, that no string satisfies together make the
 * entries disjoint. Errs on the side of "yes" where the answer needs more than string arithmetic
 * (a regex against a prefix or another regex, `withoutHeaders`).
 */
export function matchesMayOverlap(a: any, b: any): boolean {
  const x = a ?? {};
  const y = b ?? {};
  if (!uriMayOverlap(x, y)) {
    return false;
  }
  if (!['scheme', 'method', 'authority'].every((f) => !present(x[f]) || !present(y[f]) || stringMatchesMayOverlap(x[f], y[f]))) {
    return false;
  }
  for (const field of ['headers', 'queryParams']) {
    const xm = lowerKeys(x[field], field === 'headers');
    const ym = lowerKeys(y[field], field === 'headers');
    if (Object.keys(xm).some((k) => k in ym && !stringMatchesMayOverlap(xm[k], ym[k]))) {
      return false;
    }
  }
  return true;
}

/** Whether two uri conditions (with `ignoreUriCase`) accept a common path. */
function uriMayOverlap(x: any, y: any): boolean {
  const xk = uriKind(x.uri);
  const yk = uriKind(y.uri);
  if (xk === undefined || yk === undefined) {
    return true;
  }
  // a case-insensitive side accepts every casing, so compare folded values (never fewer overlaps)
  const fold = x.ignoreUriCase || y.ignoreUriCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const xs = { [xk]: xk === 'regex' ? String(x.uri.regex) : fold(String(x.uri[xk])) };
  const ys = { [yk]: yk === 'regex' ? String(y.uri.regex) : fold(String(y.uri[yk])) };
  return stringMatchesMayOverlap(xs, ys);
}

/** Whether some value satisfies both StringMatches (exact, prefix, regex; presence matches accept any value). */
export function stringMatchesMayOverlap(x: any, y: any): boolean {
  if (!present(x) || !present(y) || isPresenceMatch(x) || isPresenceMatch(y)) {
    return true;
  }
  if (present(x.exact) && present(y.exact)) {
    return String(x.exact) === String(y.exact);
  }
  if (present(x.exact) || present(y.exact)) {
    const [exact, other] = present(x.exact) ? [String(x.exact), y] : [String(y.exact), x];
    if (present(other.prefix)) {
      return exact.startsWith(String(other.prefix));
    }
    return present(other.regex) && regexProblem(String(other.regex)) === undefined ? fullMatch(String(other.regex), exact, 'match') : true;
  }
  if (present(x.prefix) && present(y.prefix)) {
    const [p, q] = [String(x.prefix), String(y.prefix)];
    return p.startsWith(q) || q.startsWith(p);
  }
  return true;
}
