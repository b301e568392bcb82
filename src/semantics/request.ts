import { stripPort } from './names';

/**
 * An HTTP request in the shapes Envoy matches on: raw authority, lower-cased port-stripped host for
 * virtual host lookup, normalized path, parsed query, lower-cased header names.
 */
export interface HttpRequestView {
  /** Raw authority as sent (may carry `:port`); what `authority` matches see. */
  readonly authority: string;
  /** Lower-cased, port-stripped host: what virtual host selection sees. */
  readonly lookupHost: string;
  /** Listener (sidecar) or server (gateway) port the request arrives on. */
  readonly port?: number;
  /** Normalized `:path` including the query string. */
  readonly path: string;
  /** Path without query string. */
  readonly pathOnly: string;
  readonly query: Map<string, string>;
  readonly method: string;
  /** `:scheme`; `http` when unknown. */
  readonly scheme?: string;
  /** Lower-cased header names; `host` is folded into the authority. */
  readonly headers: Map<string, string>;
}

/** What a caller states about a request; everything else defaults as Envoy would see it. */
export interface HttpRequestInput {
  readonly authority: string;
  readonly port?: number;
  /** Path with optional query string; must start with `/`. */
  readonly path?: string;
  readonly method?: string;
  readonly scheme?: string;
  readonly headers?: Map<string, string>;
}

/**
 * Builds the request view: dot segments removed as Envoy's `normalize_path` does (istiod turns it
 * on; slashes are not merged), query parsed, method upper-cased.
 */
export function httpRequestView(input: HttpRequestInput): HttpRequestView {
  const rawPath = input.path ?? '/';
  const q = rawPath.indexOf('?');
  const pathOnly = normalizePath(q >= 0 ? rawPath.slice(0, q) : rawPath);
  const queryString = q >= 0 ? rawPath.slice(q + 1) : undefined;
  return {
    authority: input.authority,
    lookupHost: stripPort(input.authority).toLowerCase(),
    port: input.port,
    path: queryString === undefined ? pathOnly : `${pathOnly}?${queryString}`,
    pathOnly,
    query: parseQuery(queryString),
    method: (input.method ?? 'GET').toUpperCase(),
    scheme: input.scheme?.toLowerCase(),
    headers: input.headers ?? new Map(),
  };
}

/** Envoy's view of a request header: pseudo-headers come from the request line (§1.5). */
export function headerValue(req: HttpRequestView, name: string): string | undefined {
  switch (name.toLowerCase()) {
    case ':authority': return req.authority;
    case ':method': return req.method;
    case ':path': return req.path;
    case ':scheme': return req.scheme ?? 'http';
    // Host lives in `:authority`, so a `host` matcher sees no header
    case 'host': return undefined;
    default: return req.headers.get(name.toLowerCase());
  }
}

/** RFC 3986 dot-segment removal. */
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
