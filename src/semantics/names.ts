/**
 * Names as istiod reads them: short host expansion, gateway references, wildcard hosts, server
 * host namespaces, label selectors and `exportTo` visibility.
 */

/** Cluster DNS suffix; istiod's default. */
export const DOMAIN_SUFFIX = 'cluster.local';

/** Namespace whose DestinationRules apply mesh-wide (istiod's default root namespace). */
export const ROOT_NAMESPACE = 'istio-system';

/** The reserved gateway name meaning "all sidecars". */
export const MESH_GATEWAY = 'mesh';

/** Kubernetes Service annotation that limits which namespaces see the Service. */
export const SERVICE_EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

/**
 * Expands a short host name with the namespace of the config that mentions it
 * (`pilot/pkg/model/config.go` `ResolveShortnameToFQDN`): a name without a dot becomes
 * `name.<namespace>.svc.cluster.local`; `*` and dotted names stay as they are (lower-cased).
 */
export function resolveShortname(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.')) {
    return h;
  }
  return `${h}.${namespace}.svc.${DOMAIN_SUFFIX}`;
}

/**
 * Resolves a VirtualService `gateways` entry to `ns/name` (or `mesh`) as istiod does
 * (`pilot/pkg/model/config.go` `resolveGatewayName`): a bare name and `./name` take the
 * VirtualService's namespace, the legacy `name.ns.svc.cluster.local` form becomes `ns/name`.
 */
export function resolveGatewayName(gateway: string, namespace: string): string {
  if (gateway === MESH_GATEWAY) {
    return gateway;
  }
  if (gateway.startsWith('./')) {
    return `${namespace}/${gateway.slice(2)}`;
  }
  if (gateway.includes('/')) {
    return gateway;
  }
  if (gateway.includes('.')) {
    const [name, ns] = gateway.split('.');
    return `${ns}/${name}`;
  }
  return `${namespace}/${gateway}`;
}

/**
 * Whether `host` (possibly a wildcard) is covered by `pattern` (`pkg/config/host/name.go`
 * `Name.Matches` in the covering direction): `*` covers anything, `*.example.com` covers names
 * ending in `.example.com` and narrower wildcards, but not `example.com` itself.
 */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*') {
    return true;
  }
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    if (host.startsWith('*.')) {
      return host.slice(1).endsWith(suffix);
    }
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return host === pattern;
}

/**
 * The more specific of two intersecting host patterns, or undefined when no name matches both
 * (`pkg/config/host/names.go` `Names.Intersection`): this is the Envoy virtual host domain a
 * gateway builds when a VirtualService host meets a server host.
 */
export function hostIntersection(a: string, b: string): string | undefined {
  if (hostCovers(b, a)) {
    return a;
  }
  if (hostCovers(a, b)) {
    return b;
  }
  return undefined;
}

/** Whether any name is matched by both host patterns. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostIntersection(a, b) !== undefined;
}

/** A Gateway server host `[namespace/]dnsName` after `sanitizeServerHostNamespace`. */
export interface ServerHost {
  /** Namespace whose VirtualServices may bind, or `*` for any. */
  readonly namespace: string;
  /** Lower-cased DNS name or wildcard. */
  readonly host: string;
}

/**
 * Parses a Gateway server host (`pilot/pkg/model/gateway.go` `sanitizeServerHostNamespace`):
 * `./h` means the Gateway's namespace, `*` or no prefix means any namespace.
 */
export function parseServerHost(text: string, gatewayNamespace: string): ServerHost {
  const lower = text.toLowerCase();
  const slash = lower.indexOf('/');
  if (slash < 0) {
    return { namespace: '*', host: lower };
  }
  const ns = lower.slice(0, slash);
  return { namespace: ns === '.' ? gatewayNamespace : ns, host: lower.slice(slash + 1) };
}

/** Whether every key/value of `selector` is present in `labels` (`pkg/config/labels` `SubsetOf`). */
export function labelsSubsetOf(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) {
    return true;
  }
  for (const k of Object.keys(selector)) {
    if (labels[k] !== String(selector[k])) {
      return false;
    }
  }
  return true;
}

/**
 * Whether a config living in `ownNamespace` with `exportTo` is visible from `namespace`
 * (`pkg/config/visibility`): absent or empty means everywhere (mesh default), `*` everywhere,
 * `.` its own namespace, `~` nowhere, other entries name namespaces.
 */
export function isExportedTo(exportTo: readonly string[] | undefined, ownNamespace: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) {
    return true;
  }
  return exportTo.some((e) => e === '*' || e === namespace || (e === '.' && ownNamespace === namespace));
}

/**
 * The scopes istioctl's analyzers key a config's hosts by (`analyzers/util/service_lookup.go`
 * `InitServiceEntryHostMap`): `['*']` when exported everywhere (empty, or listing `*`), else the
 * listed namespaces with `.` as the config's own.
 */
export function exportScopes(exportTo: readonly string[] | undefined, ownNamespace: string): string[] {
  if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) {
    return ['*'];
  }
  return [...new Set(exportTo.map((e) => (e === '.' ? ownNamespace : e)))];
}

/**
 * The `exportTo` list of a Kubernetes Service: the comma-separated annotation
 * `networking.istio.io/exportTo` (`pilot/pkg/serviceregistry/kube/conversion.go` `ConvertService`).
 */
export function serviceExportTo(annotations: Record<string, string> | undefined): string[] | undefined {
  const raw = annotations?.[SERVICE_EXPORT_TO_ANNOTATION];
  if (raw === undefined) {
    return undefined;
  }
  const list = String(raw).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length > 0 ? list : undefined;
}

/** Strips a `:port` suffix, keeping IPv6 literals intact. */
export function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const i = host.lastIndexOf(':');
  return i >= 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

/** `a=1, b=2` for messages; `none` for an empty set. */
export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** Plain `Record<string, string>` from a YAML value, tolerating numbers and booleans. */
export function stringRecord(value: any): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      out[k] = String(value[k]);
    }
  }
  return out;
}

/** A stable key for a label selector, so equal selectors share index entries. */
export function selectorKey(selector: Record<string, string>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}
