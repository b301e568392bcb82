import { HttpMatchModel } from './release-model';

export interface PrefixRule {
  readonly matches: HttpMatchModel[];
  readonly rewriteUri?: string;
}

/**
 * Segment-aware prefix routing. Istio prefixes are plain string prefixes and a rewrite replaces
 * exactly the matched characters, so `/v1` + rewrite `/` turns `/v1/users` into `//users` and also
 * takes `/v10`. Matching `<prefix>/` and exactly `<prefix>` instead, each with its own rewrite,
 * gives `/v1/users` -> `/users`, `/v1` -> `/` and leaves `/v10` alone.
 */
export function prefixRules(prefix: string, rewrite: string | undefined, extra: HttpMatchModel): PrefixRule[] {
  const base = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (base === '/') {
    return [{ matches: [{ ...extra, uriPrefix: '/' }], rewriteUri: rewrite }];
  }
  const underPrefix: HttpMatchModel = { ...extra, uriPrefix: `${base}/`, segmentPrefix: base };
  const atPrefix: HttpMatchModel = { ...extra, uriExact: base, segmentPrefix: base };
  if (rewrite === undefined) {
    return [{ matches: [underPrefix, atPrefix] }];
  }
  const rewriteUnder = rewrite.endsWith('/') ? rewrite : `${rewrite}/`;
  if (rewriteUnder === rewrite) {
    return [{ matches: [underPrefix, atPrefix], rewriteUri: rewrite }];
  }
  return [
    { matches: [underPrefix], rewriteUri: rewriteUnder },
    { matches: [atPrefix], rewriteUri: rewrite },
  ];
}
