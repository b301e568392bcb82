/**
 * Gateway API match precedence as Istio 1.30 implements it (docs/gateway-api-semantics.md §2.5):
 * istiod splits every rule into one entry per match and sorts the entries of one route table with a
 * stable sort (`pilot/pkg/config/kube/gateway/conversion.go` `sortHTTPRoutes`, `getURIRank`,
 * `getURILength`). The emitter asks this module which order Istio will use; the simulator, the plan
 * and the analyzer sort with it.
 */

/** The path types of an `HTTPRouteMatch`. */
export type GatewayApiPathType = 'Exact' | 'PathPrefix' | 'RegularExpression';

/** What the sort looks at in one match. */
export interface PrecedenceShape {
  /** Undefined: a match without a path (a GRPCRoute match without `method`). */
  readonly path?: { readonly type: GatewayApiPathType; readonly value: string };
  readonly method?: string;
  readonly headers: number;
  readonly queryParams: number;
}

/** `getURIRank`: Exact before PathPrefix before RegularExpression before no path. */
function uriRank(shape: PrecedenceShape): number {
  switch (shape.path?.type) {
    case 'Exact': return 3;
    case 'PathPrefix': return 2;
    case 'RegularExpression': return 1;
    default: return -1;
  }
}

/**
 * The prefix istiod writes for a `PathPrefix`: one trailing `/` removed, except from `/` itself
 * (`createURIMatch`), so `/foo/` and `/foo` are the same match (docs/gateway-api-semantics.md §2.1).
 */
export function trimmedPrefix(value: string): string {
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value;
}

/** `getURILength`: the written prefix (trimmed), exact value or pattern. */
function uriLength(shape: PrecedenceShape): number {
  if (!shape.path) {
    return 0;
  }
  return shape.path.type === 'PathPrefix' ? trimmedPrefix(shape.path.value).length : shape.path.value.length;
}

/**
 * Istio's comparator (`sortHTTPRoutes`): entries without any match last; then path rank; then the
 * longer path; then a method before none; then more headers; then more query parameters. Negative
 * when `a` is tried first; zero when the stable sort keeps their given order (which is creation time,
 * then namespace, then name across routes, and list order inside one route).
 */
export function compareMatchPrecedence(a: PrecedenceShape | undefined, b: PrecedenceShape | undefined): number {
  if (a === undefined || b === undefined) {
    return (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
  }
  return uriRank(b) - uriRank(a)
    || uriLength(b) - uriLength(a)
    || (b.method ? 1 : 0) - (a.method ? 1 : 0)
    || b.headers - a.headers
    || b.queryParams - a.queryParams;
}

/**
 * Sorts items as istiod does: stable, by `compareMatchPrecedence` of their match; items the
 * comparator ties keep their given order.
 */
export function sortByPrecedence<T>(items: readonly T[], shapeOf: (item: T) => PrecedenceShape | undefined): T[] {
  return items.map((item, index) => ({ item, index, shape: shapeOf(item) }))
    .sort((x, y) => compareMatchPrecedence(x.shape, y.shape) || x.index - y.index)
    .map((x) => x.item);
}

/**
 * Whether the entry matches every request, so istiod drops all entries sorted after it
 * (`pilot/pkg/networking/core/route/route.go` `IsCatchAllRoute`): no match at all, or `PathPrefix /`
 * (or no path) without headers, query parameters or method.
 */
export function isCatchAllShape(shape: PrecedenceShape | undefined): boolean {
  if (shape === undefined) {
    return true;
  }
  const anyPath = shape.path === undefined || (shape.path.type === 'PathPrefix' && trimmedPrefix(shape.path.value) === '/');
  return anyPath && !shape.method && shape.headers === 0 && shape.queryParams === 0;
}
