import { Construct } from 'constructs';
import { cookieCondition } from './model/cookie-match';
import { prefixRules } from './model/prefix-routes';
import { HttpMatchModel } from './model/release-model';
import { OPT_IN_PRIORITY } from './model/static-routes';
import { TrafficRelease } from './traffic-release';
import { checkCookieName, checkCookieValue } from './validate/http-names';

/**
 * Properties of an opt-in route.
 */
export interface CookieRouteProps {
  /**
   * The release (BlueGreen or Canary) whose VirtualServices get the route.
   */
  readonly release: TrafficRelease;

  /**
   * The version that matching requests reach.
   */
  readonly version: string;

  /**
   * Name of the cookie that opts a request in, e.g. `x-version`.
   *
   * @default - no cookie condition (then `uriPrefix` is required)
   */
  readonly cookieName?: string;

  /**
   * Value the cookie must have.
   *
   * @default - the version name
   */
  readonly cookieValue?: string;

  /**
   * Path prefix that opts a request in, matched by whole path segments: `/v1` takes `/v1` and
   * `/v1/...`, never `/v10`.
   *
   * @default - any path (then `cookieName` is required)
   */
  readonly uriPrefix?: string;

  /**
   * Replaces `uriPrefix` before the request reaches the version: with `/`, `/v1/users` arrives as
   * `/users` and `/v1` as `/`.
   *
   * @default - the path is forwarded unchanged
   */
  readonly rewriteUri?: string;
}

/**
 * Sends requests that opt in, by cookie and/or path prefix, to a chosen version of a release; all
 * other requests keep the release's own routing. Routes are added to the release's main hosts (gateway
 * and mesh), ordered before less specific rules.
 *
 * @example
 * new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });
 * new CookieRoute(chart, 'v1-path', { release, version: 'v1', uriPrefix: '/v1', rewriteUri: '/' });
 */
export class CookieRoute extends Construct {
  /** The version matching requests reach. */
  public readonly version: string;

  constructor(scope: Construct, id: string, props: CookieRouteProps) {
    super(scope, id);
    const path = this.node.path;
    props.release._requireVersion(props.version, 'route target', path);
    if (props.cookieName === undefined && props.uriPrefix === undefined) {
      throw new Error(`${path}: nothing to match: set cookieName, uriPrefix or both`);
    }
    if (props.cookieName === undefined && props.cookieValue !== undefined) {
      throw new Error(`${path}: cookieValue '${props.cookieValue}' given without cookieName`);
    }
    if (props.uriPrefix === undefined && props.rewriteUri !== undefined) {
      throw new Error(`${path}: rewriteUri '${props.rewriteUri}' given without uriPrefix: only a matched prefix can be rewritten`);
    }
    this.version = props.version;

    let extra: HttpMatchModel = {};
    const words: string[] = [];
    if (props.cookieName !== undefined) {
      const value = props.cookieValue ?? props.version;
      checkCookieName(path, props.cookieName);
      checkCookieValue(path, props.cookieName, value);
      extra = { headers: [cookieCondition(props.cookieName, value)] };
      words.push(`cookie ${props.cookieName}=${value}`);
    }
    const rules = props.uriPrefix === undefined
      ? [{ matches: [extra], rewriteUri: undefined }]
      : prefixRules(checkPath(path, 'uriPrefix', props.uriPrefix), checkRewrite(path, props.uriPrefix, props.rewriteUri), extra);
    if (props.uriPrefix !== undefined) {
      words.push(`path ${props.uriPrefix}${props.rewriteUri !== undefined ? ` (rewritten to ${props.rewriteUri})` : ''}`);
    }
    rules.forEach((rule, index) => {
      props.release._addHttpRoute({
        owner: path,
        description: `${words.join(' and ')} -> ${props.version}${rules.length > 1 ? ` (${index === 0 ? 'sub-paths' : 'exact path'})` : ''}`,
        entryPoints: ['mesh', 'ingress'],
        priority: OPT_IN_PRIORITY,
        matches: rule.matches,
        destinations: [{ version: props.version, weight: 100 }],
        rewriteUri: rule.rewriteUri,
      });
    });
  }
}

function checkPath(where: string, what: string, value: string): string {
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(value) || value.includes('//')) {
    throw new Error(`${where}: invalid ${what} '${value}': must be a path starting with '/', without '//', query or fragment`);
  }
  return value;
}

function checkRewrite(where: string, prefix: string, rewrite: string | undefined): string | undefined {
  if (rewrite === undefined) {
    return undefined;
  }
  checkPath(where, 'rewriteUri', rewrite);
  if ((prefix === '/' || prefix === '') && !rewrite.endsWith('/')) {
    throw new Error(`${where}: rewriteUri '${rewrite}' for prefix '/' would glue the path onto it ('${rewrite}users'): end it with '/'`);
  }
  return rewrite;
}
