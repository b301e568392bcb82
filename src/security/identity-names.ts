/** Kubernetes object names such as ServiceAccounts: DNS-1123 subdomains. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A service account name. Throws a message that names the shape users get wrong: a full principal
 * or a `namespace/name` pair where a bare name belongs.
 */
export function checkServiceAccountName(where: string, name: string): void {
  if (typeof name === 'string' && name.includes('/')) {
    throw new Error(`${where}: invalid service account name '${name}': give the namespace and the bare name separately (e.g. AllowedCaller.serviceAccount('shop', 'web')), not a principal such as 'cluster.local/ns/shop/sa/web' or 'shop/web'`);
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new Error(`${where}: invalid service account name '${name}': must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)`);
  }
}
