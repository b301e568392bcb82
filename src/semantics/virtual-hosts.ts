/**
 * Envoy virtual host selection (`source/common/router/config_impl.cc` `RouteMatcher::findVirtualHost`):
 * the Host is lower-cased and port-stripped, then domains are tried exact → longest `*.suffix` →
 * longest `prefix*` → `*`. Indexed, so a lookup does not walk every domain.
 */
export class VirtualHostTable<T> {
  private readonly exact = new Map<string, T>();
  private readonly suffixes: { suffix: string; vhost: T }[] = [];
  private readonly prefixes: { prefix: string; vhost: T }[] = [];
  private star?: T;
  private sorted = true;

  /** Adds a domain; the first virtual host to claim a domain keeps it (as Envoy requires unique domains). */
  public add(domain: string, vhost: T): void {
    if (domain === '*') {
      this.star = this.star ?? vhost;
    } else if (domain.startsWith('*')) {
      this.suffixes.push({ suffix: domain.slice(1), vhost });
      this.sorted = false;
    } else if (domain.endsWith('*')) {
      this.prefixes.push({ prefix: domain.slice(0, -1), vhost });
      this.sorted = false;
    } else if (!this.exact.has(domain)) {
      this.exact.set(domain, vhost);
    }
  }

  /** The virtual host Envoy picks for `host` (lower-cased, port-stripped), or undefined (404 / passthrough). */
  public select(host: string): T | undefined {
    const exact = this.exact.get(host);
    if (exact !== undefined) {
      return exact;
    }
    if (!this.sorted) {
      // longest first; ties keep insertion order (Array.prototype.sort is stable)
      this.suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
      this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
      this.sorted = true;
    }
    // the wildcard never matches the empty string: `*.example.com` does not match `example.com`
    for (const s of this.suffixes) {
      if (host.length > s.suffix.length && host.endsWith(s.suffix)) {
        return s.vhost;
      }
    }
    for (const p of this.prefixes) {
      if (host.length > p.prefix.length && host.startsWith(p.prefix)) {
        return p.vhost;
      }
    }
    return this.star;
  }
}
