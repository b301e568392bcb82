import { prefixRules } from './prefix-routes';
import { HttpMatchModel, HttpRouteModel, MountModel } from './release-model';

/**
 * The gateway routes of a mounted release. The release's routes are ordered and checked in the
 * service's own path space (the paths it receives: what mesh callers send, and what the gateway
 * forwards after the mount's rewrite); each route is then restricted to the mount, in place, so the
 * table keeps its first-match order:
 *
 * - a match without a path condition gets the mount's two segment-aware halves (`<prefix>/` and
 *   exactly `<prefix>`, see `prefixRules`), each with the mount's rewrite;
 * - a path condition inside the service's path space (under `rewrite`, or under `prefix` when there
 *   is no rewrite) is moved under `prefix`, and the rewrite turns the matched part back into the
 *   service's path (a route's own rewrite already does);
 * - anything else could never match through the gateway, and is an error.
 *
 * Istio has one uri condition per match entry (docs/istio-semantics.md §1.5), so a regex path cannot
 * be combined with the mount and is an error too.
 */
export function mountRoutes(routes: HttpRouteModel[], mount: MountModel, release: string): HttpRouteModel[] {
  return routes.flatMap((route) => mountRoute(route, mount, release));
}

function mountRoute(route: HttpRouteModel, mount: MountModel, release: string): HttpRouteModel[] {
  const translated: { match: HttpMatchModel; rewrite?: string }[] = [];
  for (const match of route.matches.length === 0 ? [{}] : route.matches) {
    translated.push(...mountMatch(route, match, mount, release));
  }
  // Istio has one rewrite per rule: consecutive matches with the same rewrite share one.
  const out: HttpRouteModel[] = [];
  for (const { match, rewrite } of translated) {
    const last = out[out.length - 1];
    if (last && last.rewriteUri === rewrite) {
      out[out.length - 1] = { ...last, matches: [...last.matches, match] };
    } else {
      out.push({ ...route, matches: [match], rewriteUri: rewrite });
    }
  }
  return out;
}

function mountMatch(route: HttpRouteModel, match: HttpMatchModel, mount: MountModel, release: string): { match: HttpMatchModel; rewrite?: string }[] {
  const { prefix } = mount;
  if (match.uriRegex !== undefined) {
    throw new Error(`${route.owner}: route '${route.description}' matches the path with the regex '${match.uriRegex}', which cannot be combined with the pathPrefix '${prefix}' of ${release}: an Istio match entry has one uri condition; match with a prefix or an exact path instead, or remove pathPrefix`);
  }
  const { uriExact: exact, uriPrefix: plain, segmentPrefix, ...rest } = match;
  if (exact === undefined && plain === undefined) {
    return prefixRules(prefix, mount.rewrite, rest).flatMap((rule) => rule.matches.map((m) => ({ match: m, rewrite: rule.rewriteUri })));
  }
  // The service's path space: what it receives (under the rewrite), or the mount itself without one.
  const space = mount.rewrite ?? prefix;
  const base = space === '/' ? '' : space;
  const outside = () => new Error(`${route.owner}: route '${route.description}' matches the path ${exact !== undefined ? `'${exact}' exactly` : `prefix '${plain}'`}, which lies outside ${mount.rewrite !== undefined ? `'${space}', where the pathPrefix '${prefix}' of ${release} is rewritten to` : `the pathPrefix '${prefix}' of ${release}`}: through the gateway it could never match; write the path under '${space}/'${mount.rewrite === undefined ? ', or set rewritePrefix to match paths as the service receives them' : ''}`);
  const external = (path: string) => `${prefix}${path.slice(base.length)}`;
  const movedSegment = segmentPrefix !== undefined ? { segmentPrefix: external(segmentPrefix) } : {};
  if (plain !== undefined) {
    if (base !== '' && !plain.startsWith(`${base}/`)) {
      throw outside();
    }
    const rewrite = route.rewriteUri ?? (mount.rewrite !== undefined ? plain : undefined);
    return [{ match: { ...rest, ...movedSegment, uriPrefix: external(plain) }, rewrite }];
  }
  const path = exact!;
  if (path !== base && path !== space && !path.startsWith(`${base}/`)) {
    throw outside();
  }
  const rewrite = route.rewriteUri ?? (mount.rewrite !== undefined ? path : undefined);
  if (path === space || path === base) {
    // the service's own root is reached from exactly the mount prefix and from the prefix with a slash
    const under = base === '' || path.endsWith('/') ? [{ match: { ...rest, ...movedSegment, uriExact: `${prefix}/` }, rewrite }] : [];
    return [{ match: { ...rest, ...movedSegment, uriExact: prefix }, rewrite }, ...under];
  }
  return [{ match: { ...rest, ...movedSegment, uriExact: external(path) }, rewrite }];
}
