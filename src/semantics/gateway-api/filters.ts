import { trimmedPrefix } from './precedence';
import { stripPort } from '../names';
import { HttpRequestView } from '../request';

/**
 * Gateway API filters as istiod writes them for Envoy (docs/gateway-api-semantics.md §3;
 * `pilot/pkg/config/kube/gateway/conversion.go` `createRewriteFilter`, `createRedirectFilter`,
 * `createHeadersFilter`, `createMirrorFilter`).
 */

/** The filters of a rule of one type. */
export function filtersOf(rule: any, type: string): any[] {
  return (Array.isArray(rule?.filters) ? rule.filters : []).filter((f: any) => f?.type === type);
}

/**
 * `URLRewrite.path` applied to a request path (§3.2): `ReplaceFullPath` swaps the whole path;
 * `ReplacePrefixMatch` swaps the matched prefix by whole segments, and a replacement of `/` (or
 * empty) strips the prefix without leaving `//`. The query string is kept.
 */
export function rewritePath(path: any, matchedPrefix: string | undefined, req: HttpRequestView): string {
  const query = req.path.slice(req.pathOnly.length);
  if (path?.type === 'ReplaceFullPath') {
    return String(path.replaceFullPath ?? '/') + query;
  }
  if (path?.type !== 'ReplacePrefixMatch' || matchedPrefix === undefined) {
    return req.path;
  }
  const prefix = trimmedPrefix(matchedPrefix);
  const replacement = trimmedPrefix(String(path.replacePrefixMatch ?? '')) || '/';
  const rest = prefix === '/' ? req.pathOnly.slice(1) : req.pathOnly.slice(prefix.length);
  if (replacement === '/') {
    // regex_rewrite `^<prefix>(/?)(.*)` → `/\2`
    return `/${rest.replace(/^\//, '')}${query}`;
  }
  // for the prefix `/`, Envoy's prefix_rewrite joins the replacement and the rest without a slash
  return `${replacement}${rest}${query}`;
}

/**
 * The `Location` of a `RequestRedirect` (§3.3): scheme, hostname and path replace their parts; without
 * a port, a set scheme means its default port and otherwise the port the request arrived on; 80 for
 * http and 443 for https are never printed. `ReplacePrefixMatch` is Envoy's redirect
 * `prefix_rewrite`, without the trailing-slash care of URLRewrite (§8 P8).
 */
export function redirectLocation(redirect: any, matchedPrefix: string | undefined, req: HttpRequestView): string {
  const scheme = redirect?.scheme ? String(redirect.scheme) : (req.scheme ?? 'http');
  const host = redirect?.hostname ? String(redirect.hostname) : stripPort(req.authority);
  let port: number | undefined = redirect?.port !== undefined ? Number(redirect.port) : redirect?.scheme ? undefined : req.port;
  if ((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443)) {
    port = undefined;
  }
  const query = req.path.slice(req.pathOnly.length);
  let path = req.path;
  if (redirect?.path?.type === 'ReplaceFullPath') {
    path = String(redirect.path.replaceFullPath ?? '/') + query;
  } else if (redirect?.path?.type === 'ReplacePrefixMatch' && matchedPrefix !== undefined) {
    const prefix = trimmedPrefix(matchedPrefix);
    path = String(redirect.path.replacePrefixMatch ?? '') + (prefix === '/' ? req.pathOnly.slice(1) : req.pathOnly.slice(prefix.length)) + query;
  }
  return `${scheme}://${host}${port !== undefined ? `:${port}` : ''}${path}`;
}

/**
 * Request headers after `RequestHeaderModifier` filters (§3.4): names lower-cased, `set` overwrites,
 * `add` appends with `,`, `remove` deletes; setting `host` rewrites the authority instead.
 */
export function modifyHeaders(filters: any[], headers: Map<string, string>, authority: string): { headers: Map<string, string>; authority: string } {
  const out = new Map(headers);
  let host = authority;
  for (const f of filters) {
    const m = f?.requestHeaderModifier ?? {};
    for (const h of Array.isArray(m.set) ? m.set : []) {
      const name = String(h?.name ?? '').toLowerCase();
      if (name === 'host' || name === ':authority') {
        host = String(h.value ?? '');
      } else if (!name.startsWith(':')) {
        out.set(name, String(h.value ?? ''));
      }
    }
    for (const h of Array.isArray(m.add) ? m.add : []) {
      const name = String(h?.name ?? '').toLowerCase();
      if (!name.startsWith(':')) {
        const current = out.get(name);
        out.set(name, current === undefined ? String(h.value ?? '') : `${current},${h.value ?? ''}`);
      }
    }
    for (const name of Array.isArray(m.remove) ? m.remove : []) {
      out.delete(String(name).toLowerCase());
    }
  }
  return { headers: out, authority: host };
}

/** The share of requests a `RequestMirror` copies (§3.5): `percent`, else `fraction` (denominator 100), else all. */
export function mirrorPercentage(mirror: any): number {
  if (mirror?.percent !== undefined) {
    return Number(mirror.percent);
  }
  if (mirror?.fraction !== undefined) {
    return (100 * Number(mirror.fraction.numerator ?? 0)) / Number(mirror.fraction.denominator ?? 100);
  }
  return 100;
}
