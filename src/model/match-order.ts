import { istioMatch } from './istio-match';
import { HttpMatchModel, HttpRouteModel } from './release-model';
import { matchCovers } from '../semantics/match';

/**
 * Orders routes most specific first and rejects routes that can never match. Istio uses the first
 * matching rule, so a general rule placed before a specific one silently swallows its traffic.
 */
export function orderRoutes(routes: HttpRouteModel[]): HttpRouteModel[] {
  const ordered = routes
    .map((route, index) => ({ route, index, rank: routeRank(route) }))
    .sort((a, b) => compareRanks(b.rank, a.rank) || a.index - b.index)
    .map((entry) => entry.route);
  rejectShadowedRoutes(ordered);
  return ordered;
}

function rejectShadowedRoutes(ordered: HttpRouteModel[]): void {
  for (let i = 1; i < ordered.length; i++) {
    const route = ordered[i];
    const candidates = route.matches.length === 0 ? [{}] : route.matches;
    let shadowedBy: HttpRouteModel | undefined;
    const allShadowed = candidates.every((match) => {
      for (let j = 0; j < i; j++) {
        if (routeCoversMatch(ordered[j], match)) {
          shadowedBy = shadowedBy ?? ordered[j];
          return true;
        }
      }
      return false;
    });
    if (allShadowed && shadowedBy) {
      throw new Error(`${route.owner}: route '${route.description}' can never match: every request it matches is already taken by '${shadowedBy.description}' (${shadowedBy.owner}); make one of them more specific or remove one`);
    }
  }
}

/** Uses the semantics core's coverage rules, so synthesis and `analyze` agree on what is shadowed. */
function routeCoversMatch(route: HttpRouteModel, match: HttpMatchModel): boolean {
  if (route.matches.length === 0) {
    return true;
  }
  return route.matches.some((general) => matchCovers(istioMatch(general), istioMatch(match)));
}

type Rank = number[];

function routeRank(route: HttpRouteModel): Rank {
  if (route.matches.length === 0) {
    return [route.priority ?? 0, 0];
  }
  const best = route.matches.map(matchRank).reduce((a, b) => (compareRanks(b, a) > 0 ? b : a));
  return [route.priority ?? 0, ...best];
}

/**
 * Request conditions (uri, headers) beat caller selectors (sourceLabels), which beat catch-alls. Among
 * request conditions the path decides first (exact > regex > prefix, longer prefixes first), because a
 * version named in the URL is a more deliberate choice than a cookie sent with every request; then
 * more headers first.
 */
function matchRank(match: HttpMatchModel): Rank {
  const headers = match.headers?.length ?? 0;
  const uriKind = match.uriExact !== undefined ? 3 : match.uriRegex !== undefined ? 2 : match.uriPrefix !== undefined ? 1 : 0;
  if (headers === 0 && uriKind === 0) {
    return match.sourceLabels && Object.keys(match.sourceLabels).length > 0 ? [1] : [0];
  }
  return [2, uriKind, match.uriPrefix?.length ?? 0, headers];
}

function compareRanks(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}
