import { cookieCondition } from './model/cookie-match';
import { prefixRules } from './model/prefix-routes';
import { EntryPoint, HttpMatchModel } from './model/release-model';
import { OPT_IN_PRIORITY } from './model/static-routes';
import { OptInRouteProps } from './opt-in-route-props';
import { RouteEntryPoint } from './route-entry-point';
import { TrafficRelease } from './traffic-release';
import { checkCookieName, checkCookieValue, checkGeneratedRegex, checkUriPath } from './validate/http-names';
import { requireArray, requireEnumValue, requireInstance, requireObject, requireString } from './validate/prop-types';

/** The conditions of one opt-in route, already read from the construct's props. */
export interface OptInConditions {
  readonly cookieName?: string;
  readonly cookieValue?: string;
  /** Matched by whole segments (see `prefixRules`). */
  readonly pathPrefix?: string;
  readonly rewritePrefix?: string;
}

const ENTRY_POINTS: Record<string, EntryPoint> = { [RouteEntryPoint.MESH]: 'mesh', [RouteEntryPoint.GATEWAY]: 'ingress' };

/**
 * Adds an opt-in route to a release: requests matching every condition reach `version` on the chosen
 * entry points, ahead of the release's own routing. Shared by `CookieRoute` and `PathRoute`.
 */
export function declareOptInRoute(path: string, props: OptInRouteProps, conditions: OptInConditions): void {
  requireInstance(path, 'release', props.release, TrafficRelease, 'a BlueGreen or Canary');
  requireString(path, 'version', props.version);
  props.release._requireVersion(props.version, 'route target', path);
  const entryPoints = resolveEntryPoints(path, props.release, props.entryPoints);

  let extra: HttpMatchModel = {};
  const words: string[] = [];
  if (conditions.cookieName !== undefined) {
    const value = conditions.cookieValue ?? props.version;
    checkCookieName(path, conditions.cookieName);
    checkCookieValue(path, conditions.cookieName, value);
    const cookie = cookieCondition(conditions.cookieName, value);
    checkGeneratedRegex(path, `cookie ${conditions.cookieName}=${value}`, cookie.regex!);
    extra = { headers: [cookie] };
    words.push(`cookie ${conditions.cookieName}=${value}`);
  }
  const prefix = conditions.pathPrefix;
  if (prefix !== undefined) {
    checkUriPath(path, 'pathPrefix', prefix);
    if (conditions.rewritePrefix !== undefined) {
      checkRewrite(path, prefix, conditions.rewritePrefix);
    }
    if (prefix.replace(/\/+$/, '') === '' && conditions.cookieName === undefined) {
      throw new Error(`${path}: pathPrefix '${prefix}' matches every request, so the route would take all traffic of ${props.release.node.path} from its own routing: to move traffic, change the release (activeVersion on a BlueGreen, canaryWeight on a Canary); to let some requests opt in, use a longer prefix or a CookieRoute`);
    }
    words.push(`path ${prefix}${conditions.rewritePrefix !== undefined ? ` (rewritten to ${conditions.rewritePrefix})` : ''}`);
  } else if (conditions.rewritePrefix !== undefined) {
    throw new Error(`${path}: rewritePrefix '${conditions.rewritePrefix}' given without pathPrefix: only a matched prefix can be rewritten`);
  }

  const rules = prefix === undefined ? [{ matches: [extra], rewriteUri: undefined }] : prefixRules(prefix, conditions.rewritePrefix, extra);
  rules.forEach((rule, index) => {
    props.release._addHttpRoute({
      owner: path,
      description: `${words.join(' and ')} -> ${props.version}${rules.length > 1 ? ` (${index === 0 ? 'sub-paths' : 'exact path'})` : ''}`,
      entryPoints,
      priority: OPT_IN_PRIORITY,
      matches: rule.matches,
      destinations: [{ version: props.version, weight: 100 }],
      rewriteUri: rule.rewriteUri,
    });
  });
}

/** The entry points a route applies to: the chosen ones, each of which the release must have. */
function resolveEntryPoints(path: string, release: TrafficRelease, chosen: RouteEntryPoint[] | undefined): EntryPoint[] {
  const model = release._model;
  const available: EntryPoint[] = [
    ...(model.meshRouting ? ['mesh' as const] : []),
    ...(model.gateway && model.externalHosts.length > 0 ? ['ingress' as const] : []),
  ];
  if (available.length === 0) {
    throw new Error(`${path}: ${release.node.path} writes no VirtualService (meshRouting: false and no hosts), so the route would never apply: give the release hosts or leave meshRouting on`);
  }
  if (chosen === undefined) {
    return available;
  }
  const values = requireArray(path, 'entryPoints', chosen);
  if (values.length === 0) {
    throw new Error(`${path}: entryPoints is empty: name RouteEntryPoint.MESH, RouteEntryPoint.GATEWAY or both, or leave it out for every entry point`);
  }
  const result: EntryPoint[] = [];
  for (const value of values) {
    requireEnumValue(path, 'entry point', value, Object.values(RouteEntryPoint));
    const entry = ENTRY_POINTS[value];
    if (!available.includes(entry)) {
      const reason = entry === 'mesh' ? 'it has meshRouting: false' : 'it has no hosts';
      throw new Error(`${path}: entry point '${value}' does not exist on ${release.node.path}: ${reason}; choose among ${available.map((a) => `'${a === 'mesh' ? RouteEntryPoint.MESH : RouteEntryPoint.GATEWAY}'`).join(', ')}`);
    }
    if (!result.includes(entry)) {
      result.push(entry);
    }
  }
  return result;
}

function checkRewrite(where: string, prefix: string, rewrite: string): void {
  checkUriPath(where, 'rewritePrefix', rewrite);
  if (prefix.replace(/\/+$/, '') === '' && !rewrite.endsWith('/')) {
    throw new Error(`${where}: rewritePrefix '${rewrite}' for prefix '/' would glue the path onto it ('${rewrite}users'): end it with '/'`);
  }
}

/** Type checks for the props shared by every opt-in route. */
export function checkOptInProps(path: string, props: OptInRouteProps): void {
  requireObject(path, 'props', props);
}
