import { Construct } from 'constructs';
import { cookieCondition } from './model/cookie-match';
import { CanaryStrategy, HttpMatchModel, ServiceModel } from './model/release-model';
import { requireLiveVersion } from './model/service-model';
import { RequestMatch } from './request-match';
import { TrafficRelease, TrafficReleaseProps } from './traffic-release';
import { checkCookieName, checkGeneratedRegex } from './validate/http-names';
import { checkIntegerInRange } from './validate/names';
import { requireArray, requireInstance, requireNumber, requireObject, requireString } from './validate/prop-types';
import { ServiceVersion } from './version-workload';

/**
 * Sticky sessions for a canary: the version a client landed on is written into a cookie, and later
 * requests carrying it reach the same version.
 */
export interface StickySessionOptions {
  /**
   * The cookie that remembers the version.
   *
   * @default - `<service>-version`
   */
  readonly cookieName?: string;

  /**
   * How long the browser keeps the cookie.
   *
   * @default 86400 (one day)
   */
  readonly maxAgeSeconds?: number;
}

/**
 * Properties of a weighted canary release.
 */
export interface CanaryProps extends TrafficReleaseProps {
  /** The version that serves most traffic. */
  readonly stable: ServiceVersion;

  /** The new version that gets `canaryWeight` percent. */
  readonly canary: ServiceVersion;

  /**
   * Share, in whole percent, of the split requests sent to the canary. 0 sends them all to stable
   * (rollback); 100 sends them all to the canary. With `match`, only the matched requests are split,
   * so 100 promotes those requests and every other request still reaches stable: promote the whole
   * service by making the canary the new stable version.
   */
  readonly canaryWeight: number;

  /**
   * Limits the split to these requests (any of them); all other requests go to the stable version,
   * whatever `canaryWeight` is.
   *
   * @default - every request is split
   */
  readonly match?: RequestMatch[];

  /**
   * Requests that always reach the canary, whatever its weight (e.g. testers' header or cookie).
   *
   * @default - none
   */
  readonly forceCanary?: RequestMatch[];

  /**
   * Requests that always reach the stable version.
   *
   * @default - none
   */
  readonly forceStable?: RequestMatch[];

  /**
   * Percentage (0-100, fractions allowed) of the split traffic copied to the canary; responses of the
   * copies are discarded. Written as Istio's `mirrorPercentage`.
   *
   * @default - no mirroring
   */
  readonly mirrorPercentage?: number;

  /**
   * Keeps a client on the version it first reached. Static configuration cannot see a client's first
   * response, so the weighted route sets a cookie naming the chosen version and cookie routes placed
   * before it honour it. Limits: clients that refuse cookies are split per request; the stable cookie
   * is ignored at weight 100 and the canary cookie at weight 0, so rollback and promotion always win.
   *
   * @default - no stickiness: every request is split independently
   */
  readonly stickySessions?: StickySessionOptions;
}

/**
 * A stable and a canary version of one service with a weighted split, optionally limited to some
 * requests, with force routes, mirroring and sticky sessions.
 *
 * @example
 * new Canary(chart, 'color', {
 *   serviceName: 'color-service',
 *   ports: [{ port: 8000, targetPort: 8080, protocol: PortProtocol.HTTP }],
 *   hosts: ['*'],
 *   stable: { name: 'blue' },
 *   canary: { name: 'green' },
 *   canaryWeight: 25,
 *   match: [RequestMatch.uriPrefix('/color')],
 * });
 */
export class Canary extends TrafficRelease {
  /** The stable version name. */
  public readonly stableVersion: string;

  /** The canary version name. */
  public readonly canaryVersion: string;

  /** The canary's share in percent (with `flagger`, Flagger moves the share at runtime instead). */
  public readonly canaryWeight: number;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    this._checkProps(props);
    const path = this.node.path;
    requireObject(path, 'stable', props.stable);
    requireObject(path, 'canary', props.canary);
    this.stableVersion = props.stable.name;
    this.canaryVersion = props.canary.name;
    this.canaryWeight = props.canaryWeight;
    this._release(props, {
      versions: [props.stable, props.canary],
      strategy: (model) => canaryStrategy(model, props),
    });
  }
}

function canaryStrategy(model: ServiceModel, props: CanaryProps): CanaryStrategy {
  const path = model.path;
  requireLiveVersion(model, props.stable.name, 'stable');
  requireLiveVersion(model, props.canary.name, 'canary');
  requireNumber(path, 'canaryWeight', props.canaryWeight);
  checkIntegerInRange(path, 'canaryWeight', props.canaryWeight, 0, 100);
  requireNumber(path, 'mirrorPercentage', props.mirrorPercentage, true);
  if (props.mirrorPercentage !== undefined && !(props.mirrorPercentage >= 0 && props.mirrorPercentage <= 100)) {
    throw new Error(`${path}: invalid mirrorPercentage ${props.mirrorPercentage}: must be a number from 0 to 100`);
  }
  const toModels = (what: string, matches: RequestMatch[] | undefined): HttpMatchModel[] => requireArray(path, what, matches, true).map((m, i) => {
    requireInstance(path, `${what}[${i}]`, m, RequestMatch, 'a RequestMatch (RequestMatch.header, uriPrefix, ...)');
    return m._toModel(`${path} (${what}[${i}])`);
  });
  let sticky: CanaryStrategy['sticky'];
  if (props.stickySessions !== undefined) {
    requireObject(path, 'stickySessions', props.stickySessions);
    requireString(path, 'stickySessions.cookieName', props.stickySessions.cookieName, true);
    requireNumber(path, 'stickySessions.maxAgeSeconds', props.stickySessions.maxAgeSeconds, true);
    const cookieName = props.stickySessions.cookieName ?? `${props.serviceName}-version`;
    checkCookieName(path, cookieName);
    for (const version of [props.stable.name, props.canary.name]) {
      checkGeneratedRegex(path, `sticky cookie ${cookieName}=${version}`, cookieCondition(cookieName, version).regex!);
    }
    const maxAgeSeconds = props.stickySessions.maxAgeSeconds ?? 86400;
    checkIntegerInRange(path, 'stickySessions.maxAgeSeconds', maxAgeSeconds, 1, 2147483647);
    sticky = { cookieName, maxAgeSeconds };
  }
  return {
    kind: 'canary',
    stable: props.stable.name,
    canary: props.canary.name,
    weight: props.canaryWeight,
    split: toModels('match', props.match),
    forceCanary: toModels('forceCanary', props.forceCanary),
    forceStable: toModels('forceStable', props.forceStable),
    mirrorPercentage: props.mirrorPercentage,
    sticky,
  };
}
