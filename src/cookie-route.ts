import { Construct } from 'constructs';
import { checkOptInProps, declareOptInRoute } from './opt-in-route';
import { OptInRouteProps } from './opt-in-route-props';
import { requireString } from './validate/prop-types';

/**
 * Properties of a cookie opt-in route.
 */
export interface CookieRouteProps extends OptInRouteProps {
  /**
   * Name of the cookie that opts a request in, e.g. `x-version`.
   */
  readonly cookieName: string;

  /**
   * Value the cookie must have.
   *
   * @default - the version name
   */
  readonly cookieValue?: string;

  /**
   * Also requires the path to start with this prefix, matched by whole path segments: `/v1` takes
   * `/v1` and `/v1/...`, never `/v10` (unlike Istio's plain string `uriPrefix`).
   *
   * @default - any path
   */
  readonly pathPrefix?: string;

  /**
   * Replaces `pathPrefix` before the request reaches the version: with `/`, `/v1/users` arrives as
   * `/users` and `/v1` as `/`.
   *
   * @default - the path is forwarded unchanged
   */
  readonly rewritePrefix?: string;
}

/**
 * Sends requests that carry a cookie (`name=value` anywhere in the `Cookie` header) to a chosen
 * version of a release; all other requests keep the release's own routing. The route is added to
 * the release's main hosts (gateway and mesh, or the `entryPoints` chosen), ordered before less
 * specific rules.
 *
 * @example
 * new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'x-version' });
 */
export class CookieRoute extends Construct {
  /** The version matching requests reach. */
  public readonly version: string;

  constructor(scope: Construct, id: string, props: CookieRouteProps) {
    super(scope, id);
    const path = this.node.path;
    checkOptInProps(path, props);
    requireString(path, 'cookieName', props.cookieName);
    requireString(path, 'cookieValue', props.cookieValue, true);
    requireString(path, 'pathPrefix', props.pathPrefix, true);
    requireString(path, 'rewritePrefix', props.rewritePrefix, true);
    this.version = props.version;
    declareOptInRoute(path, props, props);
  }
}
