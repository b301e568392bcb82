import { Construct } from 'constructs';
import { checkOptInProps, declareOptInRoute } from './opt-in-route';
import { OptInRouteProps } from './opt-in-route-props';
import { requireString } from './validate/prop-types';

/**
 * Properties of a path-prefix route.
 */
export interface PathRouteProps extends OptInRouteProps {
  /**
   * The path prefix that selects the version, matched by whole path segments: `/v1` takes `/v1` and
   * `/v1/...`, never `/v10` (unlike Istio's plain string `uriPrefix`, see `RequestMatch.uriPrefix`).
   */
  readonly pathPrefix: string;

  /**
   * Replaces `pathPrefix` before the request reaches the version: with `/`, `/v1/users` arrives as
   * `/users` and `/v1` as `/`.
   *
   * @default - the path is forwarded unchanged
   */
  readonly rewritePrefix?: string;
}

/**
 * Sends requests under a path prefix to a chosen version of a release, optionally stripping the
 * prefix; all other requests keep the release's own routing. Istio prefixes are plain string
 * prefixes and a rewrite replaces exactly the matched characters, so the route is written as two
 * matches (`<prefix>/` and exactly `<prefix>`) that never take `/v10` for `/v1` nor produce `//`.
 *
 * @example
 * new PathRoute(chart, 'v1', { release, version: 'v1', pathPrefix: '/v1', rewritePrefix: '/' });
 */
export class PathRoute extends Construct {
  /** The version matching requests reach. */
  public readonly version: string;

  constructor(scope: Construct, id: string, props: PathRouteProps) {
    super(scope, id);
    const path = this.node.path;
    checkOptInProps(path, props);
    requireString(path, 'pathPrefix', props.pathPrefix);
    requireString(path, 'rewritePrefix', props.rewritePrefix, true);
    this.version = props.version;
    declareOptInRoute(path, props, { pathPrefix: props.pathPrefix, rewritePrefix: props.rewritePrefix });
  }
}
