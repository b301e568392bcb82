import { GatewayApiPathType, PrecedenceShape, trimmedPrefix } from './precedence';
import { headerValue, HttpRequestView } from '../request';
import { fullMatch } from '../string-match';

/**
 * Gateway API matches after the defaults the API server fills in (docs/gateway-api-semantics.md
 * §2.1), GRPCRoute method matches turned into path matches as istiod turns them (§2.8,
 * `pilot/pkg/config/kube/gateway/conversion.go` `createGRPCURIMatch`), and request matching as Envoy
 * evaluates the result (§2.2–§2.4).
 */

/** A header or query parameter condition. */
export interface ValueCondition {
  readonly name: string;
  readonly type: 'Exact' | 'RegularExpression';
  readonly value: string;
}

/** One match entry, defaults applied. */
export interface GatewayApiMatch extends PrecedenceShape {
  readonly path?: { readonly type: GatewayApiPathType; readonly value: string };
  readonly headerConditions: ValueCondition[];
  readonly queryConditions: ValueCondition[];
}

const ANY_PATH = { type: 'PathPrefix' as const, value: '/' };

function conditions(list: any): ValueCondition[] {
  return (Array.isArray(list) ? list : []).filter((c) => c && typeof c === 'object').map((c) => ({
    name: String(c.name ?? ''),
    type: c.type === 'RegularExpression' ? 'RegularExpression' : 'Exact',
    value: String(c.value ?? ''),
  }));
}

function shape(path: GatewayApiMatch['path'], headers: ValueCondition[], queries: ValueCondition[], method?: string): GatewayApiMatch {
  return { path, method, headers: headers.length, queryParams: queries.length, headerConditions: headers, queryConditions: queries };
}

/** An `HTTPRouteMatch` with `path` defaulting to `PathPrefix /` and header/query types to `Exact`. */
export function httpRouteMatch(raw: any): GatewayApiMatch {
  const m = raw && typeof raw === 'object' ? raw : {};
  const type: GatewayApiPathType = ['Exact', 'RegularExpression'].includes(m.path?.type) ? m.path.type : 'PathPrefix';
  const path = m.path ? { type, value: String(m.path.value ?? '/') } : ANY_PATH;
  return shape(path, conditions(m.headers), conditions(m.queryParams), m.method ? String(m.method).toUpperCase() : undefined);
}

/**
 * A `GRPCRouteMatch` as istiod writes it: `method` becomes a path (exact `/S/M`, prefix `/S/`,
 * regex `/[^/]+/M`, ...; §2.8); no `method` means no path condition.
 */
export function grpcRouteMatch(raw: any): GatewayApiMatch {
  const m = raw && typeof raw === 'object' ? raw : {};
  const headers = conditions(m.headers);
  const method = m.method;
  if (!method || (!method.service && !method.method)) {
    return shape(undefined, headers, []);
  }
  const service = method.service ? String(method.service) : undefined;
  const name = method.method ? String(method.method) : undefined;
  const regex = method.type === 'RegularExpression';
  let path: GatewayApiMatch['path'];
  if (!regex && service && name) {
    path = { type: 'Exact', value: `/${service}/${name}` };
  } else if (service && !name) {
    path = regex ? { type: 'RegularExpression', value: `/${service}/.+` } : { type: 'PathPrefix', value: `/${service}/` };
  } else if (!service && name) {
    path = { type: 'RegularExpression', value: `/[^/]+/${name}` };
  } else {
    path = { type: 'RegularExpression', value: `/${service}/${name}` };
  }
  return shape(path, headers, []);
}

/**
 * The matches of a rule: absent `matches` defaults to one `PathPrefix /` match (HTTPRoute) or a
 * match-less entry (GRPCRoute); an explicit `matches: []` is a match-less entry, which sorts last.
 * `undefined` in the list stands for "no match at all".
 */
export function ruleMatches(kind: string, rule: any): (GatewayApiMatch | undefined)[] {
  const raw = rule?.matches;
  if (Array.isArray(raw) && raw.length === 0) {
    return [undefined];
  }
  if (!Array.isArray(raw)) {
    return kind === 'GRPCRoute' ? [undefined] : [httpRouteMatch({})];
  }
  return raw.map((m) => (kind === 'GRPCRoute' ? grpcRouteMatch(m) : httpRouteMatch(m)));
}

/**
 * Gateway API `PathPrefix` (Envoy `path_separated_prefix`): the request path is the prefix or
 * continues it with `/`; `/v1` never takes `/v10` (§2.2). A trailing `/` in the value is ignored.
 */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  const p = trimmedPrefix(prefix);
  return p === '/' || path === p || path.startsWith(`${p}/`);
}

/** Whether the request satisfies every condition of the match (path, headers, query, method). */
export function gatewayApiMatches(match: GatewayApiMatch | undefined, req: HttpRequestView, where: string): boolean {
  if (match === undefined) {
    return true;
  }
  if (match.path) {
    const { type, value } = match.path;
    const ok = type === 'Exact' ? req.pathOnly === value
      : type === 'PathPrefix' ? pathPrefixMatches(value, req.pathOnly)
        : fullMatch(value, req.pathOnly, `${where}.path`);
    if (!ok) {
      return false;
    }
  }
  if (match.method && req.method !== match.method) {
    return false;
  }
  return match.headerConditions.every((h) => valueMatches(h, headerValue(req, h.name), `${where}.headers`))
    && match.queryConditions.every((q) => valueMatches(q, req.query.get(q.name), `${where}.queryParams`));
}

/** Exact is a string comparison; a regular expression is an RE2 full match, and `*` only asks for presence (§2.3). */
function valueMatches(condition: ValueCondition, value: string | undefined, where: string): boolean {
  if (value === undefined) {
    return false;
  }
  if (condition.type === 'Exact') {
    return value === condition.value;
  }
  return condition.value === '*' || fullMatch(condition.value, value, where);
}

/** A match in words, for notes, reasons and the plan. */
export function describeGatewayApiMatch(match: GatewayApiMatch | undefined): string {
  if (match === undefined) {
    return 'any request';
  }
  const words: string[] = [];
  if (match.path) {
    words.push(`${match.path.type} ${match.path.value}`);
  }
  if (match.method) {
    words.push(`method ${match.method}`);
  }
  for (const h of match.headerConditions) {
    words.push(`header ${h.name} ${h.type === 'Exact' ? '=' : '~'} ${h.value}`);
  }
  for (const q of match.queryConditions) {
    words.push(`query ${q.name} ${q.type === 'Exact' ? '=' : '~'} ${q.value}`);
  }
  return words.join(', ') || 'any request';
}
