import { HttpMatchModel } from './release-model';

/** A StringMatch as Istio and Flagger write it: exactly one of exact, prefix or regex. */
export interface StringMatchFields {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** The uri condition of a match, if it has one. */
export function uriMatch(match: HttpMatchModel): StringMatchFields | undefined {
  if (match.uriExact !== undefined) {
    return { exact: match.uriExact };
  }
  if (match.uriPrefix !== undefined) {
    return { prefix: match.uriPrefix };
  }
  return match.uriRegex !== undefined ? { regex: match.uriRegex } : undefined;
}

/** The header conditions of a match keyed by header name, if it has any. */
export function headerMatches(match: HttpMatchModel): Record<string, StringMatchFields> | undefined {
  if (!match.headers || match.headers.length === 0) {
    return undefined;
  }
  return Object.fromEntries(match.headers.map((h) => [h.name, { exact: h.exact, prefix: h.prefix, regex: h.regex }]));
}

/** A match entry in Istio's own shape (`HTTPMatchRequest`), as written to a VirtualService. */
export function istioMatch(match: HttpMatchModel) {
  return { uri: uriMatch(match), headers: headerMatches(match), sourceLabels: match.sourceLabels };
}
