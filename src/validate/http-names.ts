import { RE2JS } from 're2js';

const HEADER_TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;
const MAX_REGEX_LENGTH = 1024;

/** HTTP header names as the library emits them: lowercase RFC 7230 tokens (Envoy lower-cases anyway). */
export function checkHeaderName(where: string, name: string): void {
  if (typeof name !== 'string' || !HEADER_TOKEN.test(name)) {
    throw new Error(`${where}: invalid header name '${name}': must be lowercase letters, digits and '-' (an RFC 7230 token in lowercase), e.g. 'x-canary'`);
  }
  if (['host', 'uri', 'scheme', 'method', 'authority', 'cookie'].includes(name)) {
    throw new Error(`${where}: header name '${name}' cannot be matched as a header: Envoy exposes it as a pseudo-header or Istio ignores it; use the dedicated option instead (hosts, uri, cookie)`);
  }
}

export function checkCookieName(where: string, name: string): void {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new Error(`${where}: invalid cookie name '${name}': must be a non-empty RFC 6265 token (letters, digits and !#$%&'*+.^_\`|~-, no spaces, '=' or ';')`);
  }
}

export function checkCookieValue(where: string, name: string, value: string): void {
  if (typeof value !== 'string' || !COOKIE_VALUE.test(value)) {
    throw new Error(`${where}: invalid value '${value}' for cookie '${name}': must be non-empty RFC 6265 cookie octets (no spaces, '"', ',', ';' or '\\')`);
  }
}

/** Envoy evaluates regexes with RE2, so they are checked with an RE2 engine, not JavaScript's. */
export function checkRe2Regex(where: string, what: string, regex: string): void {
  if (typeof regex !== 'string' || regex.length === 0 || regex.length > MAX_REGEX_LENGTH) {
    throw new Error(`${where}: invalid ${what} regex '${regex}': must be a non-empty RE2 expression of at most ${MAX_REGEX_LENGTH} characters`);
  }
  try {
    RE2JS.compile(regex);
  } catch (err: any) {
    throw new Error(`${where}: invalid ${what} regex '${regex}': not valid RE2 syntax (${err.message}); RE2 has no look-around or back-references`);
  }
}

/** Quotes a literal so it matches itself inside an RE2 expression. */
export function re2Quote(literal: string): string {
  return RE2JS.quote(literal);
}

/** Envoy's default limit on the size of a request's headers (HTTP connection manager `max_request_headers_kb`: 60 KiB). */
export const MAX_REQUEST_HEADERS_BYTES = 60 * 1024;

/**
 * A path a request can carry and Envoy can match: it starts with '/', and holds only visible ASCII
 * (clients percent-encode everything else, spaces included) without '?' or '#'. Envoy matches exact
 * and regex paths with the query string removed, so a path with a query never matches
 * (docs/istio-semantics.md §1.5).
 */
export function checkRequestPath(where: string, what: string, value: string): void {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new Error(`${where}: invalid ${what} '${value}': must start with '/'`);
  }
  const query = value.search(/[?#]/);
  if (query >= 0) {
    throw new Error(`${where}: invalid ${what} '${value}': Envoy matches the path without the query string or fragment, so '${value.slice(query)}' would never match; match the path '${value.slice(0, query) || '/'}' alone`);
  }
  const bad = /[^\x21-\x7e]/.exec(value);
  if (bad) {
    throw new Error(`${where}: invalid ${what} '${value}': character ${JSON.stringify(bad[0])} never appears in a request path (clients percent-encode it, e.g. a space as %20); write it percent-encoded`);
  }
}

/** A path prefix matched by whole segments: a request path without empty segments. */
export function checkUriPath(where: string, what: string, value: string): void {
  checkRequestPath(where, what, value);
  if (!/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(value) || value.includes('//')) {
    throw new Error(`${where}: invalid ${what} '${value}': must be a path starting with '/', of letters, digits and -._~!$&'()*+,;=:@% only, without '//'`);
  }
}

/**
 * A header value a request can carry: no control characters (CR and LF would end the header), no
 * leading or trailing whitespace (HTTP parsers strip it, so an exact or prefix match on it never
 * holds), and shorter than Envoy's limit on all headers together.
 */
export function checkHeaderValue(where: string, name: string, kind: string, value: string): void {
  if (typeof value !== 'string') {
    throw new Error(`${where}: invalid ${kind} for header '${name}': expected a string, got ${typeof value}`);
  }
  const control = /[\x00-\x08\x0a-\x1f\x7f]/.exec(value);
  if (control) {
    throw new Error(`${where}: invalid ${kind} ${JSON.stringify(value)} for header '${name}': control character ${JSON.stringify(control[0])} cannot be sent in a header (CR and LF end it), so the match never holds`);
  }
  if ((kind === 'value' && value !== value.trim()) || (kind === 'prefix' && value !== value.trimStart())) {
    throw new Error(`${where}: invalid value ${JSON.stringify(value)} for header '${name}': HTTP strips leading and trailing whitespace from header values, so an exact match with it never holds; remove the whitespace`);
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_REQUEST_HEADERS_BYTES) {
    throw new Error(`${where}: ${kind} for header '${name}' is ${Buffer.byteLength(value, 'utf8')} bytes: Envoy refuses requests whose headers exceed ${MAX_REQUEST_HEADERS_BYTES} bytes (max_request_headers_kb 60), so the match never holds`);
  }
}

/**
 * A regex the library writes (cookie matches): Istio rejects regexes over 1,024 characters, so a
 * long cookie name and value are reported here rather than by the API server.
 */
export function checkGeneratedRegex(where: string, what: string, regex: string): void {
  if (regex.length > MAX_REGEX_LENGTH) {
    throw new Error(`${where}: ${what} is too long: its match regex has ${regex.length} characters and Istio accepts at most ${MAX_REGEX_LENGTH} (docs/istio-semantics.md §10); use a shorter cookie name or value`);
  }
}
