import { RequestProtocol, SimulatedRequest } from './types';

/**
 * A request with defaults applied and the shapes Envoy matches on precomputed.
 */
export interface NormalizedRequest {
  readonly protocol: RequestProtocol;
  /** Raw authority as sent (may carry `:port`); what `authority` matches see. */
  readonly authority: string;
  /** Lower-cased, port-stripped host: what vhost selection sees (§1.4, §6). */
  readonly lookupHost: string;
  readonly port?: number;
  /** Normalized `:path` including the query string. */
  readonly path: string;
  /** Path without query string. */
  readonly pathOnly: string;
  readonly query: Map<string, string>;
  readonly method: string;
  readonly scheme?: string;
  /** Lower-cased header names; `host` is folded into the authority. */
  readonly headers: Map<string, string>;
}

/**
 * Validates a simulated request and applies defaults.
 */
export function normalizeRequest(req: SimulatedRequest): NormalizedRequest {
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    headers.set(k.toLowerCase(), String(v));
  }
  // Envoy stores the HTTP/1.1 Host header as `:authority`; a `host` header never exists (§1.5)
  const hostHeader = headers.get('host') ?? headers.get(':authority');
  headers.delete('host');
  headers.delete(':authority');
  const authority = req.host ?? hostHeader;
  if (!authority) {
    throw new Error('request host is empty: give the Host/authority (or the service name for tcp), e.g. \'reviews\' or \'shop.example.com\'');
  }
  const protocol = req.protocol ?? RequestProtocol.HTTP;
  if (protocol !== RequestProtocol.HTTP && protocol !== RequestProtocol.TCP) {
    throw new Error(`request protocol '${protocol}' is not supported: use HTTP or TCP`);
  }
  if (req.port !== undefined && (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535)) {
    throw new Error(`request port ${req.port} is invalid: use an integer in 1-65535`);
  }
  const rawPath = req.path ?? '/';
  if (!rawPath.startsWith('/')) {
    throw new Error(`request path '${rawPath}' must start with '/'`);
  }
  const q = rawPath.indexOf('?');
  const pathOnly = normalizePath(q >= 0 ? rawPath.slice(0, q) : rawPath);
  const queryString = q >= 0 ? rawPath.slice(q + 1) : undefined;
  return {
    protocol,
    authority,
    lookupHost: stripPort(authority).toLowerCase(),
    port: req.port ?? (protocol === RequestProtocol.HTTP ? 80 : undefined),
    path: queryString === undefined ? pathOnly : `${pathOnly}?${queryString}`,
    pathOnly,
    query: parseQuery(queryString),
    method: (req.method ?? 'GET').toUpperCase(),
    scheme: req.scheme?.toLowerCase(),
    headers,
  };
}

/** Strips a `:port` suffix, keeping IPv6 literals intact. */
export function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const i = host.lastIndexOf(':');
  return i >= 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

/**
 * RFC 3986 dot-segment removal; istiod enables Envoy `normalize_path` (slashes are not merged).
 */
function normalizePath(path: string): string {
  const input = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const seg = input[i];
    const last = i === input.length - 1;
    if (seg === '.') {
      if (last) {
        out.push('');
      }
    } else if (seg === '..') {
      if (out.length > 1) {
        out.pop();
      }
      if (last) {
        out.push('');
      }
    } else {
      out.push(seg);
    }
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function parseQuery(qs: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!qs) {
    return out;
  }
  for (const part of qs.split('&')) {
    if (!part) {
      continue;
    }
    const eq = part.indexOf('=');
    const key = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    // Envoy matches the first occurrence of a repeated parameter
    if (!out.has(key)) {
      out.set(key, value);
    }
  }
  return out;
}
