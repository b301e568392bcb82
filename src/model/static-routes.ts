import { cookieCondition } from './cookie-match';
import { EntryPoint, HttpMatchModel, HttpRouteModel, ServiceModel, StrategyModel, TcpRouteModel, WeightedDestination } from './release-model';

export interface StaticRoutes {
  readonly http: HttpRouteModel[];
  readonly tcp: TcpRouteModel[];
}

const MAIN_ENTRY_POINTS: EntryPoint[] = ['mesh', 'ingress'];

/** Priorities: explicit opt-ins, then remembered choices, then everything else. */
export const OPT_IN_PRIORITY = 2;
const STICKY_PRIORITY = 1;

/**
 * The routes that carry out a strategy with static Istio configuration.
 */
export function staticRoutes(service: ServiceModel, strategy: StrategyModel): StaticRoutes {
  return strategy.kind === 'blue-green' ? blueGreenRoutes(service, strategy.activeVersion, strategy.versionAffinity) : canaryRoutes(service, strategy);
}

function blueGreenRoutes(service: ServiceModel, activeVersion: string | undefined, versionAffinity: boolean): StaticRoutes {
  const http: HttpRouteModel[] = [];
  const tcp: TcpRouteModel[] = [];
  const hasHttp = service.ports.some((p) => p.http);
  const tcpPorts = service.ports.filter((p) => !p.http);
  const owner = service.path;
  const live = service.versions.filter((v) => !v.retired);
  if (versionAffinity) {
    for (const { name: version } of live) {
      const callers = { [service.versionLabel]: version };
      const label = `mesh callers labelled ${service.versionLabel}=${version}`;
      if (hasHttp) {
        http.push({ owner, description: `${label} -> ${version}`, entryPoints: ['mesh'], matches: [{ sourceLabels: callers }], destinations: [{ version, weight: 100 }] });
      }
      for (const port of tcpPorts) {
        tcp.push({ owner, description: `${label} on port ${port.port} -> ${version}`, port: port.port, sourceLabels: callers, destinations: [{ version, weight: 100 }] });
      }
    }
  }
  const allLive = live.length === service.versions.length;
  const target = activeVersion ?? (allLive ? 'every version (round-robin)' : `${live.map((v) => v.name).join(', ')} evenly (others retired)`);
  const main = activeVersion !== undefined || allLive
    ? [{ version: activeVersion, weight: 100 }]
    : evenSplit(live.map((v) => v.name));
  if (hasHttp) {
    http.push({ owner, description: `default -> ${target}`, entryPoints: MAIN_ENTRY_POINTS, matches: [], destinations: main });
  }
  for (const port of tcpPorts) {
    tcp.push({ owner, description: `default on port ${port.port} -> ${target}`, port: port.port, destinations: main });
  }
  return { http, tcp };
}

/** Retired pods still back the Service, so "every version" must name the live subsets explicitly. */
function evenSplit(versions: string[]): WeightedDestination[] {
  const share = Math.floor(100 / versions.length);
  return versions.map((version, i) => ({ version, weight: share + (i < 100 - share * versions.length ? 1 : 0) }));
}

function canaryRoutes(service: ServiceModel, s: Extract<StrategyModel, { kind: 'canary' }>): StaticRoutes {
  const owner = service.path;
  const http: HttpRouteModel[] = [];
  type RouteOptions = { mirror?: boolean; priority?: number };
  const route = (description: string, matches: HttpMatchModel[], destinations: WeightedDestination[], options: RouteOptions = {}) => {
    http.push({
      owner,
      description,
      entryPoints: MAIN_ENTRY_POINTS,
      priority: options.priority,
      matches,
      destinations,
      mirror: options.mirror && s.mirrorPercentage !== undefined && s.mirrorPercentage > 0
        ? { version: s.canary, percent: s.mirrorPercentage }
        : undefined,
    });
  };
  if (s.forceCanary.length > 0) {
    route(`forced to canary -> ${s.canary}`, s.forceCanary, [{ version: s.canary, weight: 100 }], { priority: OPT_IN_PRIORITY });
  }
  if (s.forceStable.length > 0) {
    route(`forced to stable -> ${s.stable}`, s.forceStable, [{ version: s.stable, weight: 100 }], { priority: OPT_IN_PRIORITY });
  }
  let split: WeightedDestination[] = [{ version: s.stable, weight: 100 - s.weight }, { version: s.canary, weight: s.weight }];
  if (s.sticky) {
    const { cookieName, maxAgeSeconds } = s.sticky;
    const withCookie = (m: HttpMatchModel, version: string) => ({ ...m, headers: [...(m.headers ?? []), cookieCondition(cookieName, version)] });
    const sticky = (version: string) => (s.split.length > 0 ? s.split : [{}]).map((m) => withCookie(m, version));
    // At weight 0 or 100 one cookie would override a rollback or promotion, so it is not honoured.
    if (s.weight > 0) {
      route(`sticky cookie ${cookieName}=${s.canary} -> ${s.canary}`, sticky(s.canary), [{ version: s.canary, weight: 100 }], { mirror: true, priority: STICKY_PRIORITY });
    }
    if (s.weight < 100) {
      route(`sticky cookie ${cookieName}=${s.stable} -> ${s.stable}`, sticky(s.stable), [{ version: s.stable, weight: 100 }], { mirror: true, priority: STICKY_PRIORITY });
    }
    split = split.map((d) => ({ ...d, responseHeadersToAdd: { 'set-cookie': `${cookieName}=${d.version}; Path=/; Max-Age=${maxAgeSeconds}` } }));
  }
  route(`${s.split.length > 0 ? 'matching requests' : 'default'} -> ${s.stable} ${100 - s.weight}% / ${s.canary} ${s.weight}%`, s.split, split, { mirror: true });
  if (s.split.length > 0) {
    route(`default -> ${s.stable}`, [], [{ version: s.stable, weight: 100 }]);
  }
  const tcp = service.ports.filter((p) => !p.http).map((port) => ({
    owner,
    description: `port ${port.port} -> ${s.stable} ${100 - s.weight}% / ${s.canary} ${s.weight}%`,
    port: port.port,
    destinations: [{ version: s.stable, weight: 100 - s.weight }, { version: s.canary, weight: s.weight }],
  }));
  return { http, tcp };
}
