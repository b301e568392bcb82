import { Construct } from 'constructs';
import { CanaryStrategy, HttpMatchModel, ServiceModel } from './model/release-model';
import { requireLiveVersion } from './model/service-model';
import { RequestMatch } from './request-match';
import { TrafficRelease, TrafficReleaseProps } from './traffic-release';
import { checkCookieName } from './validate/http-names';
import { checkIntegerInRange } from './validate/names';
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
   * Share of traffic, in whole percent, sent to the canary: 0 rolls back, 100 promotes.
   */
  readonly canaryWeight: number;

  /**
   * Limits the split to these requests (any of them); all other requests go to the stable version.
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
   * Percentage (0-100) of the split traffic copied to the canary; responses of the copies are
   * discarded.
   *
   * @default - no mirroring
   */
  readonly mirrorPercent?: number;

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
  checkIntegerInRange(path, 'canaryWeight', props.canaryWeight, 0, 100);
  if (props.mirrorPercent !== undefined && (typeof props.mirrorPercent !== 'number' || !(props.mirrorPercent >= 0 && props.mirrorPercent <= 100))) {
    throw new Error(`${path}: invalid mirrorPercent ${props.mirrorPercent}: must be a number from 0 to 100`);
  }
  const toModels = (what: string, matches: RequestMatch[] | undefined): HttpMatchModel[] => (matches ?? []).map((m, i) => m._toModel(`${path} (${what}[${i}])`));
  let sticky: CanaryStrategy['sticky'];
  if (props.stickySessions) {
    const cookieName = props.stickySessions.cookieName ?? `${props.serviceName}-version`;
    checkCookieName(path, cookieName);
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
    mirrorPercent: props.mirrorPercent,
    sticky,
  };
}
