/**
 * Input checks shared by every construct. Each returns nothing and throws a message that names the
 * construct path, the bad value and what is allowed, so a user can fix the input from the error alone.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes object names, namespaces, version names and subset names (DNS-1123 label). */
export function checkDnsLabel(where: string, what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(`${where}: invalid ${what} '${value}': must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`);
  }
}

/**
 * Kubernetes Service names are DNS-1035 labels: a DNS-1123 label that starts with a letter (the API
 * server rejects `9web`).
 */
export function checkDnsServiceName(where: string, value: string): void {
  checkDnsLabel(where, 'service name', value);
  if (!/^[a-z]/.test(value)) {
    throw new Error(`${where}: invalid service name '${value}': Kubernetes Service names must start with a letter (a DNS-1035 label); e.g. 'svc-${value}'`);
  }
}

/** Kubernetes label keys (optional DNS subdomain prefix, then a name of at most 63 characters). */
export function checkLabelKey(where: string, key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    throw new Error(`${where}: invalid label key '${key}': must be an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
}

/** Kubernetes label values. */
export function checkLabelValue(where: string, key: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new Error(`${where}: invalid value '${value}' for label '${key}': must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
}

/**
 * A host an external client sends (Gateway and VirtualService hosts): a lowercase DNS name with at
 * least one dot, optionally starting with a `*.` wildcard label. Short names are refused because Istio
 * expands them with the VirtualService namespace, so they never equal an external Host header.
 */
export function checkExternalHost(where: string, host: string, allowAnyHost = false): void {
  if (allowAnyHost && host === '*') {
    return;
  }
  const bare = typeof host === 'string' && host.startsWith('*.') ? host.slice(2) : host;
  const labels = typeof bare === 'string' ? bare.split('.') : [];
  const ok = typeof host === 'string'
    && host.length <= 253
    && labels.length >= 2
    && labels.every((label) => label.length <= 63 && HOST_LABEL.test(label));
  if (!ok) {
    throw new Error(`${where}: invalid host '${host}': must be a lowercase fully qualified DNS name such as 'app.example.com', optionally starting with '*.' ('*' alone and short names are not allowed)`);
  }
}

/** Istio rejects a VirtualService whose hosts overlap (`*.example.com` and `a.example.com`). */
export function checkNoOverlappingHosts(where: string, hosts: string[]): void {
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostCovers(hosts[i], hosts[j]) || hostCovers(hosts[j], hosts[i])) {
        throw new Error(`${where}: hosts '${hosts[i]}' and '${hosts[j]}' overlap: Istio rejects a VirtualService with overlapping hosts; keep the more general one`);
      }
    }
  }
}

/** Whether `general` (possibly `*` or `*.suffix`) takes every request for `specific`. */
export function hostCovers(general: string, specific: string): boolean {
  if (general === specific || general === '*') {
    return true;
  }
  return general.startsWith('*.') && specific.endsWith(general.slice(1));
}

/** A gateway reference in Istio's `namespace/name` form. */
export function checkGatewayReference(where: string, ref: string): void {
  const parts = typeof ref === 'string' ? ref.split('/') : [];
  if (parts.length !== 2 || !DNS_LABEL.test(parts[0]) || !DNS_LABEL.test(parts[1])) {
    throw new Error(`${where}: invalid gateway reference '${ref}': must be 'namespace/name' with two DNS-1123 labels, e.g. 'istio-system/public-gateway'`);
  }
}

/** Throws when the same name appears twice. */
export function checkUnique(where: string, what: string, values: string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) {
      throw new Error(`${where}: duplicate ${what} '${value}': each ${what} may be declared once`);
    }
    seen.add(value);
  }
}

/** Throws unless `value` is an integer within [min, max]. */
export function checkIntegerInRange(where: string, what: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${where}: invalid ${what} ${value}: must be a whole number from ${min} to ${max}`);
  }
}
