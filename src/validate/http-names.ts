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
