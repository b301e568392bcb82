import { hostCovers, hostIntersection } from '../names';

/**
 * Hostnames between Gateway listeners and routes (docs/gateway-api-semantics.md §1.3, §1.5, §2.6):
 * a listener without hostname is `*`; a route without hostnames is `*`; a wildcard `*.a.com` takes
 * `b.a.com` and `c.b.a.com`, never `a.com`.
 */

/** A listener's hostname as a host pattern. */
export function listenerHost(listener: { readonly hostname?: string }): string {
  return listener.hostname ? listener.hostname.toLowerCase() : '*';
}

/** A route's hostnames as host patterns (`*` when it lists none). */
export function routeHosts(hostnames: readonly string[]): string[] {
  return hostnames.length === 0 ? ['*'] : hostnames.map((h) => h.toLowerCase());
}

/**
 * The virtual host domain a route hostname yields on a listener: the more specific of the two, or
 * undefined when no name satisfies both (`pkg/config/host/names.go` `Intersection`, used by
 * `pilot/pkg/networking/core/gateway.go`; attachment uses the same two-way test,
 * `pilot/pkg/config/kube/gateway/conversion.go`).
 */
export function listenerRouteDomain(listenerHostname: string, routeHostname: string): string | undefined {
  return hostIntersection(listenerHostname, routeHostname);
}

/**
 * Listener isolation (`hostnameAllowedByIsolation`): a route hostname on a listener is dropped when
 * another listener of the same port and protocol has a more specific hostname that takes it.
 */
export function ownedByMoreSpecificListener(own: string, others: readonly string[], domain: string): boolean {
  return others.some((other) => other !== own && hostCovers(own, other) && hostCovers(other, domain));
}

/**
 * The listener an HTTPS/TLS connection picks by SNI: exact hostname, then the longest wildcard
 * suffix, then a listener without hostname (`GA apis/v1/gateway_types.go`, listener precedence).
 */
export function listenerForSni<L extends { readonly hostname?: string }>(listeners: readonly L[], sni: string): L | undefined {
  const exact = listeners.find((l) => l.hostname !== undefined && l.hostname.toLowerCase() === sni);
  if (exact) {
    return exact;
  }
  const wild = listeners.filter((l) => l.hostname?.startsWith('*.') && hostCovers(l.hostname.toLowerCase(), sni))
    .sort((a, b) => b.hostname!.length - a.hostname!.length);
  return wild[0] ?? listeners.find((l) => !l.hostname);
}
