import { GatewayApiGateway, GatewayApiIndex, GatewayApiListener, GatewayApiRoute, ParentAttachment } from './gateway-api-index';
import { listenerHost, listenerRouteDomain, ownedByMoreSpecificListener, routeHosts } from './hostnames';
import { GatewayApiMatch, ruleMatches } from './matches';
import { isCatchAllShape, sortByPrecedence } from './precedence';
import { IndexedService } from '../manifest-index';
import { VirtualHostTable } from '../virtual-hosts';

/**
 * Route tables istiod builds from Gateway API routes (docs/gateway-api-semantics.md §2.5, §2.6, §6,
 * §5.2): per Gateway listener and route hostname, and per Service for mesh callers and waypoints.
 * Routes sharing a key are merged in creation order, their entries sorted by Gateway API precedence
 * and cut after the first catch-all (`pilot/pkg/config/kube/gateway/route_collections.go`,
 * `conversion.go` `sortHTTPRoutes`; `pilot/pkg/networking/core/route/route.go`).
 */

/** One match of one rule of one route: what Envoy gets as one route. */
export interface GatewayApiEntry {
  readonly route: GatewayApiRoute;
  readonly ruleIndex: number;
  /** Undefined for a match-less entry (`matches: []`, or a GRPCRoute rule without matches). */
  readonly matchIndex?: number;
  readonly rule: any;
  readonly match?: GatewayApiMatch;
  /** Matches every request: istiod drops the entries sorted after it. */
  readonly catchAll: boolean;
}

/** `kind ns/name rules[i].matches[j]` for notes and messages. */
export function gatewayApiEntryLocation(entry: GatewayApiEntry, field?: string): string {
  const m = entry.matchIndex === undefined ? '' : `.matches[${entry.matchIndex}]`;
  return `${entry.route.kind} ${entry.route.namespace}/${entry.route.name} rules[${entry.ruleIndex}]${m}${field ? `.${field}` : ''}`;
}

/** Every rule of a route split into one entry per match (§2.5 step 1), unsorted. */
export function routeEntries(route: GatewayApiRoute): GatewayApiEntry[] {
  return route.rules.flatMap((rule, ruleIndex) => {
    const matches = ruleMatches(route.kind, rule);
    const explicit = Array.isArray(rule?.matches) && rule.matches.length > 0;
    return matches.map((match, i) => ({
      route, ruleIndex, matchIndex: explicit ? i : undefined, rule: rule ?? {}, match, catchAll: isCatchAllShape(match),
    }));
  });
}

const RULE_FILTERS: Record<string, string[]> = {
  HTTPRoute: ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS'],
  GRPCRoute: ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror'],
  TCPRoute: [],
};
const BACKEND_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

/**
 * A "hard error" that makes istiod produce no routes at all from this route for its parent type,
 * while the status still says Accepted (§3.1, §1.6; `route_collections.go`, `conversion.go`
 * `buildHTTPDestination`): an unsupported filter, or a backend Service named by its hostname.
 */
export function routeHardError(route: GatewayApiRoute): string | undefined {
  for (let i = 0; i < route.rules.length; i++) {
    const rule = route.rules[i] ?? {};
    for (const f of Array.isArray(rule.filters) ? rule.filters : []) {
      if (!(RULE_FILTERS[route.kind] ?? []).includes(f?.type)) {
        return `rules[${i}] uses filter '${f?.type}', which istiod does not support on a ${route.kind} (supported: ${RULE_FILTERS[route.kind].join(', ') || 'none'})`;
      }
    }
    const backends: any[] = Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    for (let j = 0; j < backends.length; j++) {
      const b = backends[j] ?? {};
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service' && String(b.name ?? '').includes('.')) {
        return `rules[${i}].backendRefs[${j}] names Service '${b.name}' with a dot: give the Service name, not its hostname`;
      }
      for (const f of Array.isArray(b.filters) ? b.filters : []) {
        if (!BACKEND_FILTERS.includes(f?.type)) {
          return `rules[${i}].backendRefs[${j}] uses filter '${f?.type}', which istiod accepts on a backend only for header modifiers`;
        }
      }
    }
  }
  return undefined;
}

/**
 * Entries of routes sharing one key (already in creation order), as Envoy gets them: concatenated,
 * stably sorted by precedence, everything after the first catch-all dropped.
 */
export function mergedEntries(routes: readonly GatewayApiRoute[], notes?: string[]): GatewayApiEntry[] {
  const sorted = sortByPrecedence(routes.flatMap(routeEntries), (e) => e.match);
  const cut = sorted.findIndex((e) => e.catchAll);
  if (cut >= 0 && cut < sorted.length - 1) {
    notes?.push(`${gatewayApiEntryLocation(sorted[cut])} matches every request and sorts before ${sorted.length - cut - 1} other match${sorted.length - cut > 2 ? 'es' : ''}, which istiod drops`);
    return sorted.slice(0, cut + 1);
  }
  return sorted;
}

/** One Envoy virtual host of a Gateway API gateway: a domain and its entries in the order tried. */
export interface GatewayApiVirtualHost {
  readonly domain: string;
  readonly entries: GatewayApiEntry[];
  /** Listeners whose routes contribute. */
  readonly listeners: string[];
}

/** The HTTP route table of some listeners of one Gateway on one port. */
export interface GatewayApiRouteTable {
  readonly virtualHosts: GatewayApiVirtualHost[];
  readonly select: (host: string) => GatewayApiVirtualHost | undefined;
  readonly notes: string[];
}

interface HostKey {
  readonly listener: GatewayApiListener;
  readonly domain: string;
  /** Routes in merge order; a Set, so a route attached several ways counts once without a scan. */
  readonly routes: Set<GatewayApiRoute>;
}

/** Route tables per index, Gateway and listener set: built once, however many requests ask. */
const tableCache = new WeakMap<GatewayApiIndex, Map<string, GatewayApiRouteTable>>();

/** The HTTP/gRPC routes attached to a listener (hard-erroring ones dropped, with a note). */
function httpAttachments(index: GatewayApiIndex, gateway: GatewayApiGateway, listener: GatewayApiListener, notes: string[]): ParentAttachment[] {
  return index.attachedToListener(gateway, listener).filter((a) => {
    if (a.route.kind === 'TCPRoute') {
      return false;
    }
    const error = routeHardError(a.route);
    if (error) {
      notes.push(`${a.route.kind} ${a.route.namespace}/${a.route.name} is dropped by istiod: ${error}`);
    }
    return !error;
  });
}

/**
 * The virtual hosts of `listeners` (HTTP or HTTPS listeners of one Gateway sharing a port): one key
 * per listener and route hostname, its domain the more specific of the two; hostnames a more specific
 * listener owns are dropped (listener isolation); keys landing on one domain are concatenated, oldest
 * first, catch-alls last (§2.6). Requests never fall through from one domain to another.
 */
export function gatewayRouteTable(index: GatewayApiIndex, gateway: GatewayApiGateway,
  listeners: readonly GatewayApiListener[]): GatewayApiRouteTable {
  let cache = tableCache.get(index);
  if (!cache) {
    cache = new Map();
    tableCache.set(index, cache);
  }
  const key = `${gateway.namespace}/${gateway.name}|${listeners.map((l) => l.name).join(',')}`;
  let table = cache.get(key);
  if (!table) {
    table = buildGatewayRouteTable(index, gateway, listeners);
    cache.set(key, table);
  }
  return table;
}

function buildGatewayRouteTable(index: GatewayApiIndex, gateway: GatewayApiGateway, listeners: readonly GatewayApiListener[]): GatewayApiRouteTable {
  const notes: string[] = [];
  const keys = new Map<string, HostKey>();
  for (const listener of listeners) {
    const own = listenerHost(listener);
    const others = gateway.listeners.filter((l) => l.port === listener.port && l.protocol === listener.protocol).map(listenerHost);
    for (const a of httpAttachments(index, gateway, listener, notes)) {
      for (const h of routeHosts(a.route.hostnames)) {
        const domain = listenerRouteDomain(own, h);
        if (domain === undefined || ownedByMoreSpecificListener(own, others, domain)) {
          continue;
        }
        const key = `${listener.name}|${h}`;
        const found = keys.get(key);
        if (!found) {
          keys.set(key, { listener, domain, routes: new Set([a.route]) });
        } else {
          found.routes.add(a.route);
        }
      }
    }
  }
  const byDomain = new Map<string, HostKey[]>();
  for (const key of keys.values()) {
    const list = byDomain.get(key.domain);
    if (list) {
      list.push(key);
    } else {
      byDomain.set(key.domain, [key]);
    }
  }
  const table = new VirtualHostTable<GatewayApiVirtualHost>();
  const virtualHosts: GatewayApiVirtualHost[] = [];
  for (const [domain, hostKeys] of byDomain) {
    const ordered = hostKeys.map((k) => ({ k, order: firstOrder([...k.routes], gateway.namespace) }))
      .sort((x, y) => x.order - y.order)
      .map((x) => x.k);
    let entries = ordered.flatMap((k) => mergedEntries([...k.routes], notes));
    if (ordered.length > 1) {
      // between keys only catch-alls move; Gateway API precedence is not applied across them
      entries = [...entries.filter((e) => !e.catchAll), ...entries.filter((e) => e.catchAll)];
    }
    const vhost = { domain, entries, listeners: [...new Set(ordered.map((k) => k.listener.name))] };
    virtualHosts.push(vhost);
    table.add(domain, vhost);
  }
  return { virtualHosts, select: (host) => table.select(host), notes };
}

/** Merge order of a key: routes of the Gateway's namespace first, then the oldest route. */
function firstOrder(routes: readonly GatewayApiRoute[], gatewayNamespace: string): number {
  const own = routes.some((r) => r.namespace === gatewayNamespace) ? 0 : 1;
  return own * 1e9 + routes.reduce((min, r) => Math.min(min, r.order), Infinity);
}

/** Service-parented routes of one namespace for one Service (and port choice): one internal VirtualService (§6.1). */
export interface MeshRouteGroup {
  /** The namespace of the routes: the Service's (producer) or a caller's (consumer). */
  readonly namespace: string;
  /** `parentRef.port`, when the routes name one. */
  readonly port?: number;
  readonly routes: GatewayApiRoute[];
  readonly kind: 'http' | 'tcp';
  /** The routes already in `routes`. */
  readonly members: Set<GatewayApiRoute>;
}

/** Mesh route groups of a Service, in creation order of their oldest route. */
export function meshRouteGroups(index: GatewayApiIndex, svc: IndexedService, kind: 'http' | 'tcp'): MeshRouteGroup[] {
  const groups = new Map<string, MeshRouteGroup>();
  for (const a of index.attachedToService(svc)) {
    if ((a.route.kind === 'TCPRoute') !== (kind === 'tcp')) {
      continue;
    }
    const key = `${a.route.namespace}|${a.parent.port ?? ''}`;
    const group = groups.get(key) ?? { namespace: a.route.namespace, port: a.parent.port, routes: [], kind, members: new Set<GatewayApiRoute>() };
    if (!group.members.has(a.route)) {
      group.members.add(a.route);
      group.routes.push(a.route);
    }
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The group a sidecar in `clientNamespace` uses for the Service on `port` (§6.2, §6.3): groups of
 * the client's own namespace (consumer routes) first, then the Service's (producer routes); a group
 * bound to another port does not apply. Only the first applies: sidecars do not merge.
 */
export function sidecarMeshGroup(index: GatewayApiIndex, svc: IndexedService, port: number, clientNamespace: string,
  kind: 'http' | 'tcp'): MeshRouteGroup | undefined {
  const groups = meshRouteGroups(index, svc, kind).filter((g) => (g.port === undefined || g.port === port)
    && (kind === 'tcp' || g.namespace === svc.namespace || g.namespace === clientNamespace));
  return groups.find((g) => g.namespace === clientNamespace) ?? groups[0];
}

/**
 * What a waypoint applies for the Service on `port` (§5.2; `pilot/pkg/networking/core/listener_waypoint.go`):
 * the groups of the Service's namespace and of the waypoint's namespace, each cut at its first
 * catch-all, concatenated.
 */
export function waypointMeshEntries(index: GatewayApiIndex, svc: IndexedService, port: number, waypointNamespace: string,
  notes?: string[]): GatewayApiEntry[] {
  return meshRouteGroups(index, svc, 'http')
    .filter((g) => (g.port === undefined || g.port === port) && (g.namespace === svc.namespace || g.namespace === waypointNamespace))
    .flatMap((g) => groupEntries(g, notes));
}

/** The entries of one mesh group, hard-erroring routes dropped with a note. */
export function groupEntries(group: MeshRouteGroup, notes?: string[]): GatewayApiEntry[] {
  const routes = group.routes.filter((r) => {
    const error = routeHardError(r);
    if (error) {
      notes?.push(`${r.kind} ${r.namespace}/${r.name} is dropped by istiod: ${error}`);
    }
    return !error;
  });
  return mergedEntries(routes, notes);
}
