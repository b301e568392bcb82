/**
 * Envoy virtual host selection (§1.4): the Host is lower-cased and port-stripped by the caller,
 * then domains are tried exact → longest `*.suffix` → longest `prefix.*` → `*`.
 */
export interface VirtualHostLike {
  readonly domains: string[];
}

/** Picks the virtual host Envoy would use for `host`, or undefined (no vhost: 404 / passthrough). */
export function selectVirtualHost<T extends VirtualHostLike>(vhosts: T[], host: string): T | undefined {
  const exact = vhosts.find((v) => v.domains.includes(host));
  if (exact) {
    return exact;
  }
  let best: { vhost: T; length: number } | undefined;
  for (const vhost of vhosts) {
    for (const d of vhost.domains) {
      // the wildcard never matches the empty string: `*.example.com` does not match `example.com`
      if (d.startsWith('*') && d !== '*' && host.length > d.length - 1 && host.endsWith(d.slice(1))) {
        if (!best || d.length > best.length) {
          best = { vhost, length: d.length };
        }
      }
    }
  }
  if (best) {
    return best.vhost;
  }
  for (const vhost of vhosts) {
    for (const d of vhost.domains) {
      if (d.endsWith('*') && d !== '*' && host.length > d.length - 1 && host.startsWith(d.slice(0, -1))) {
        if (!best || d.length > best.length) {
          best = { vhost, length: d.length };
        }
      }
    }
  }
  if (best) {
    return best.vhost;
  }
  return vhosts.find((v) => v.domains.includes('*'));
}
