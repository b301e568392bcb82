import { IndexedService, IndexedVirtualService, ManifestIndex } from './manifest-index';
import { ProxyIdentity } from './match';
import { hostCovers, isExportedTo, MESH_GATEWAY } from './names';
import { isHttpOrSniffed } from './protocols';
import { ANY_MESH_CALLER, httpRoutes, RouteEntry, tcpRoutes } from './routes';

/**
 * Sidecar outbound routing as `pilot/pkg/networking/core/httproute.go`
 * `BuildSidecarOutboundVirtualHosts` builds it, looked up for one host instead of built whole: per
 * listener port, VirtualServices bound to `mesh` claim domains (the oldest wins; sidecars do not
 * merge), the other HTTP services of that port get default routes, anything else is passed through.
 */

/** What a sidecar's route table has for a host on a port. */
export type SidecarVirtualHost =
  | { readonly kind: 'virtualService'; readonly vs: IndexedVirtualService; readonly routes: RouteEntry[] }
  | { readonly kind: 'service'; readonly service: IndexedService };

/** A mesh caller: the calling pod's labels and namespace, the listener port, gateway set `{mesh}`. */
export function meshProxy(namespace: string, labels: Record<string, string>, port: number): ProxyIdentity {
  return { gatewayNames: new Set([MESH_GATEWAY]), labels, namespace, port };
}

function serviceOnPort(svc: IndexedService, port: number): boolean {
  return svc.ports.some((p) => p.port === port && isHttpOrSniffed(p.protocol));
}

/**
 * Registry services a VirtualService claims on a listener port (`route.go` `separateVSHostsAndServices`
 * over the services of that port): its exact hosts that are visible services with an HTTP port there,
 * and for wildcard hosts the covered services for which it is the most specific wildcard.
 */
function claimsOnPort(index: ManifestIndex, vs: IndexedVirtualService, proxy: ProxyIdentity): { services: IndexedService[]; plainHosts: string[] } {
  const services: IndexedService[] = [];
  const plainHosts: string[] = [];
  for (const h of vs.hosts) {
    if (!h.startsWith('*')) {
      const svc = index.services.get(h);
      if (svc && index.isServiceVisible(svc, proxy.namespace) && serviceOnPort(svc, proxy.port)) {
        services.push(svc);
      } else {
        plainHosts.push(h);
      }
      continue;
    }
    const covered = index.servicesCoveredBy(h).filter((s) => index.isServiceVisible(s, proxy.namespace) && serviceOnPort(s, proxy.port));
    if (covered.length === 0) {
      plainHosts.push(h);
    }
    for (const svc of covered) {
      if (mostSpecificWildcardVs(index, svc, proxy) === vs) {
        services.push(svc);
      }
    }
  }
  return { services, plainHosts };
}

/** `MostSpecificWildcardVirtualServiceIndex`: per service, the mesh VirtualService with the longest wildcard covering it. */
function mostSpecificWildcardVs(index: ManifestIndex, svc: IndexedService, proxy: ProxyIdentity): IndexedVirtualService | undefined {
  let best: { vs: IndexedVirtualService; length: number } | undefined;
  for (const vs of index.meshWildcardVirtualServices()) {
    if (!isExportedTo(vs.exportTo, vs.namespace, proxy.namespace)) {
      continue;
    }
    for (const h of vs.hosts) {
      if (h.startsWith('*') && hostCovers(h, svc.fqdn) && (!best || h.length > best.length)) {
        best = { vs, length: h.length };
      }
    }
  }
  return best?.vs;
}

/**
 * The virtual host a sidecar picks for `host` (lower-cased, port-stripped) on the proxy's port, or
 * undefined when the request leaves through the passthrough cluster.
 */
export function sidecarVirtualHost(index: ManifestIndex, proxy: ProxyIdentity, host: string, notes: string[]): SidecarVirtualHost | undefined {
  const found = index.serviceForHost(host, proxy.namespace);
  const svc = found && serviceOnPort(found, proxy.port) ? found : undefined;
  const candidates = svc ? index.meshVirtualServicesForHost(svc.fqdn) : [];
  const plain = index.meshVirtualServicesForHost(host);
  const ordered = plain.length === 0 ? candidates : [...new Set([...candidates, ...plain])].sort((a, b) => a.order - b.order);
  let owner: SidecarVirtualHost | undefined;
  for (const vs of ordered) {
    if (!isExportedTo(vs.exportTo, vs.namespace, proxy.namespace)) {
      continue;
    }
    const claims = claimsOnPort(index, vs, proxy);
    // a VirtualService on a port other than 80 needs a registry service on that port (istiod's port-80 "hack")
    const active = proxy.port === 80 || claims.services.length > 0;
    const claimsHost = (svc !== undefined && claims.services.includes(svc)) || (active && claims.plainHosts.includes(host));
    if (!claimsHost) {
      continue;
    }
    const routes = httpRoutes(vs, proxy);
    if (routes.length === 0) {
      notes.push(`virtualservice ${vs.namespace}/${vs.name} contributes no routes for this caller: every match was dropped by port, gateways or sourceLabels/sourceNamespace`);
      continue;
    }
    if (owner) {
      notes.push(`virtualservice ${vs.namespace}/${vs.name} also claims ${host} but an older VirtualService already owns it; sidecars do not merge VirtualServices`);
      break;
    }
    owner = { kind: 'virtualService', vs, routes };
  }
  if (owner) {
    return owner;
  }
  if (svc) {
    return { kind: 'service', service: svc };
  }
  return wildcardVirtualHost(index, proxy, host, notes);
}

/** Non-registry wildcard hosts of mesh VirtualServices (`*.example.com` with no service behind it): longest suffix wins. */
function wildcardVirtualHost(index: ManifestIndex, proxy: ProxyIdentity, host: string, notes: string[]): SidecarVirtualHost | undefined {
  let best: { vs: IndexedVirtualService; length: number } | undefined;
  for (const vs of index.meshWildcardVirtualServices()) {
    if (!isExportedTo(vs.exportTo, vs.namespace, proxy.namespace)) {
      continue;
    }
    const claims = claimsOnPort(index, vs, proxy);
    if (proxy.port !== 80 && claims.services.length === 0) {
      continue;
    }
    for (const h of claims.plainHosts) {
      if (h.startsWith('*') && hostCovers(h, host) && (!best || h.length > best.length)) {
        best = { vs, length: h.length };
      }
    }
  }
  if (!best) {
    return undefined;
  }
  const routes = httpRoutes(best.vs, proxy);
  if (routes.length === 0) {
    notes.push(`virtualservice ${best.vs.namespace}/${best.vs.name} contributes no routes for this caller`);
    return undefined;
  }
  return { kind: 'virtualService', vs: best.vs, routes };
}

/**
 * The TCP route a sidecar uses for a service port: the first mesh VirtualService (creation order)
 * for the service with a kept match decides (`tls.go` `buildSidecarOutboundTCPFilterChainOpts`).
 */
export function sidecarTcpRoute(index: ManifestIndex, proxy: ProxyIdentity, svc: IndexedService, notes: string[]): RouteEntry | undefined {
  for (const vs of index.meshVirtualServicesForHost(svc.fqdn)) {
    if (!isExportedTo(vs.exportTo, vs.namespace, proxy.namespace)) {
      continue;
    }
    const first = tcpRoutes(vs, proxy, notes)[0];
    if (first) {
      return first;
    }
  }
  return undefined;
}

/** One mesh host's rules as every sidecar sees them, for overviews. */
export interface MeshRouteTable {
  readonly protocol: 'http' | 'tcp';
  readonly host: string;
  /** The VirtualService whose rules apply (HTTP: the oldest claim). */
  readonly owner: IndexedVirtualService;
  readonly routes: RouteEntry[];
  readonly notes: string[];
}

/**
 * Mesh route tables per VirtualService host, for any caller (static selectors kept as conditions):
 * HTTP hosts belong to the oldest VirtualService claiming them (later claims are noted as ignored);
 * TCP rules of every VirtualService for a host are tried in creation order.
 */
export function meshRouteTables(index: ManifestIndex): MeshRouteTable[] {
  const http = new Map<string, { owner: IndexedVirtualService; routes: RouteEntry[]; notes: string[] }>();
  const tcp = new Map<string, { owner: IndexedVirtualService; routes: RouteEntry[]; notes: string[] }>();
  for (const vs of index.virtualServicesForGateway(MESH_GATEWAY)) {
    if (Array.isArray(vs.spec.http) && vs.spec.http.length > 0) {
      let routes: RouteEntry[] | undefined;
      const notes: string[] = [];
      for (const host of new Set(vs.hosts)) {
        const winner = http.get(host);
        if (winner) {
          winner.notes.push(`${vs.namespace}/${vs.name} also claims ${host}; sidecars use only the oldest claim, ${winner.owner.namespace}/${winner.owner.name}`);
          continue;
        }
        if (!routes) {
          routes = httpRoutes(vs, ANY_MESH_CALLER, notes);
        }
        http.set(host, { owner: vs, routes, notes: [...notes] });
      }
    }
    if (Array.isArray(vs.spec.tcp) && vs.spec.tcp.length > 0) {
      const notes: string[] = [];
      const routes = tcpRoutes(vs, ANY_MESH_CALLER, notes);
      for (const host of new Set(vs.hosts)) {
        const t = tcp.get(host);
        if (t) {
          routes.forEach((r) => t.routes.push(r));
          notes.forEach((n) => t.notes.push(n));
        } else {
          tcp.set(host, { owner: vs, routes: [...routes], notes: [...notes] });
        }
      }
    }
  }
  return [
    ...[...http.entries()].map(([host, t]) => ({ protocol: 'http' as const, host, ...t })),
    ...[...tcp.entries()].map(([host, t]) => ({ protocol: 'tcp' as const, host, ...t })),
  ];
}
