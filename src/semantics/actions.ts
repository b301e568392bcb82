import { stripPort } from './names';
import { HttpRequestView } from './request';
import { RouteEntry, entryLocation } from './routes';
import { regexReplaceAll } from './string-match';

/**
 * What Envoy does with a request once a route matched: rewrites (`prefix_rewrite` arithmetic,
 * `regex_rewrite`, authority) and redirects (`route.go` `ApplyRedirect`).
 */

/** Redirect codes istiod translates; other 3xx leave the route without an action (`ApplyRedirect`). */
export const REDIRECT_CODES = [301, 302, 303, 307, 308];

/**
 * Envoy rewrite arithmetic: `prefix_rewrite` swaps the first len(matched prefix) characters of
 * `:path` (so `/v1` + `/` on `/v1/users` gives `//users`); exact and regex matches swap the whole
 * path; `regex_rewrite` replaces every match; the query string is kept. The authority follows
 * `rewrite.authority`, else a `:authority`/`host` request header `set`.
 */
export function rewriteRequest(entry: RouteEntry, req: HttpRequestView): { path: string; authority: string } {
  const rw = entry.rule.rewrite ?? {};
  let path = req.path;
  const query = req.path.slice(req.pathOnly.length);
  if (rw.uri !== undefined && rw.uri !== '') {
    const uri = entry.match?.uri;
    if (uri?.exact !== undefined || uri?.regex !== undefined) {
      path = String(rw.uri) + query;
    } else {
      const prefix = uri?.prefix !== undefined ? String(uri.prefix) : '/';
      path = String(rw.uri) + req.path.slice(prefix.length);
    }
  } else if (rw.uriRegexRewrite?.match !== undefined) {
    path = regexReplaceAll(String(rw.uriRegexRewrite.match), req.pathOnly, String(rw.uriRegexRewrite.rewrite ?? ''),
      entryLocation(entry, 'rewrite.uriRegexRewrite')) + query;
  }
  let authority = req.authority;
  const setHeaders = entry.rule.headers?.request?.set ?? {};
  for (const k of Object.keys(setHeaders)) {
    if ([':authority', 'host'].includes(k.toLowerCase())) {
      authority = String(setHeaders[k]);
    }
  }
  if (rw.authority !== undefined && rw.authority !== '') {
    authority = String(rw.authority);
  }
  return { path, authority };
}

/**
 * The `Location` of a redirect: `uri` replaces the whole path (the query is kept unless the new uri
 * has one), authority/scheme/port replace their parts.
 */
export function redirectLocation(redirect: any, req: HttpRequestView): string {
  const scheme = redirect.scheme ? String(redirect.scheme) : (req.scheme ?? 'http');
  let host = redirect.authority ? String(redirect.authority) : req.authority;
  if (redirect.port !== undefined) {
    host = `${stripPort(host)}:${redirect.port}`;
  } else if (redirect.derivePort === 'FROM_PROTOCOL_DEFAULT') {
    host = stripPort(host);
  } else if (redirect.derivePort === 'FROM_REQUEST_PORT' && req.port !== undefined) {
    host = `${stripPort(host)}:${req.port}`;
  }
  const query = req.path.slice(req.pathOnly.length);
  let path = req.path;
  if (redirect.uri !== undefined) {
    const uri = String(redirect.uri);
    path = uri.includes('?') ? uri : uri + query;
  }
  return `${scheme}://${host}${path}`;
}
