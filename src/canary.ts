import { Construct } from 'constructs';
import { cookieCondition } from './model/cookie-match';
import { EntryPoint, HttpMatchModel, WeightedDestination } from './model/release-model';
import { RequestMatch } from './request-match';
import { TrafficRelease, TrafficReleaseProps } from './traffic-release';
import { checkIntegerInRange, checkUnique } from './validate/names';
import { checkCookieName } from './validate/http-names';
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

  /** The canary's share in percent. */
  public readonly canaryWeight: number;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id, props, { versions: [props.stable, props.canary] });
    const path = this.node.path;
    checkIntegerInRange(path, 'canaryWeight', props.canaryWeight, 0, 100);
    if (props.mirrorPercent !== undefined && (typeof props.mirrorPercent !== 'number' || !(props.mirrorPercent >= 0 && props.mirrorPercent <= 100))) {
      throw new Error(`${path}: invalid mirrorPercent ${props.mirrorPercent}: must be a number from 0 to 100`);
    }
    if ((props.hosts ?? []).length > 0 && this._httpPorts.length === 0) {
      throw new Error(`${path}: external hosts ${props.hosts!.join(', ')} need an HTTP port: declare a port with protocol http, http2, grpc or grpc-web`);
    }
    this.stableVersion = props.stable.name;
    this.canaryVersion = props.canary.name;
    this.canaryWeight = props.canaryWeight;
    const stable = props.stable.name;
    const canary = props.canary.name;
    const weight = props.canaryWeight;
    const entryPoints: EntryPoint[] = ['mesh', 'ingress'];
    const toModels = (what: string, matches: RequestMatch[] | undefined) => (matches ?? []).map((m, i) => m._toModel(`${path} (${what}[${i}])`));

    const route = (description: string, matches: HttpMatchModel[], destinations: WeightedDestination[], mirror?: boolean, priority?: number) => this._addHttpRoute({
      owner: path,
      description,
      entryPoints,
      priority,
      matches,
      destinations,
      mirror: mirror && props.mirrorPercent !== undefined && props.mirrorPercent > 0 ? { version: canary, percent: props.mirrorPercent } : undefined,
    });

    const forceCanary = toModels('forceCanary', props.forceCanary);
    if (forceCanary.length > 0) {
      route(`forced to canary -> ${canary}`, forceCanary, [{ version: canary, weight: 100 }], false, 2);
    }
    const forceStable = toModels('forceStable', props.forceStable);
    if (forceStable.length > 0) {
      route(`forced to stable -> ${stable}`, forceStable, [{ version: stable, weight: 100 }], false, 2);
    }

    const split = toModels('match', props.match);
    let splitDestinations: WeightedDestination[] = [{ version: stable, weight: 100 - weight }, { version: canary, weight }];
    if (props.stickySessions) {
      const cookieName = props.stickySessions.cookieName ?? `${props.serviceName}-version`;
      checkCookieName(path, cookieName);
      const maxAge = props.stickySessions.maxAgeSeconds ?? 86400;
      checkIntegerInRange(path, 'stickySessions.maxAgeSeconds', maxAge, 1, 2147483647);
      const sticky = (version: string) => (split.length > 0 ? split : [{}]).map((m) => ({ ...m, headers: [...(m.headers ?? []), cookieCondition(cookieName, version)] }));
      if (weight > 0) {
        route(`sticky cookie ${cookieName}=${canary} -> ${canary}`, sticky(canary), [{ version: canary, weight: 100 }], true, 1);
      }
      if (weight < 100) {
        route(`sticky cookie ${cookieName}=${stable} -> ${stable}`, sticky(stable), [{ version: stable, weight: 100 }], true, 1);
      }
      splitDestinations = splitDestinations.map((d) => ({ ...d, responseHeadersToAdd: { 'set-cookie': `${cookieName}=${d.version}; Path=/; Max-Age=${maxAge}` } }));
    }
    route(`${split.length > 0 ? 'matching requests' : 'default'} -> ${stable} ${100 - weight}% / ${canary} ${weight}%`, split, splitDestinations, true);
    if (split.length > 0) {
      route(`default -> ${stable}`, [], [{ version: stable, weight: 100 }]);
    }

    for (const port of this._tcpPorts) {
      this._addTcpRoute({
        owner: path,
        description: `port ${port.port} -> ${stable} ${100 - weight}% / ${canary} ${weight}%`,
        port: port.port,
        destinations: [{ version: stable, weight: 100 - weight }, { version: canary, weight }],
      });
    }
    checkUnique(path, 'version', [stable, canary]);
  }
}
