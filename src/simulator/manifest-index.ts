/**
 * Indexes plain Kubernetes manifests the way istiod sees them: Istio configs sorted by creation
 * time, short host names expanded, gateway references resolved, pods derived from workload
 * templates. Shared by the route simulator and (later) static analysis.
 */

/** Cluster DNS suffix; istiod's default. */
export const DOMAIN_SUFFIX = 'cluster.local';

/** Namespace whose DestinationRules apply mesh-wide (istiod's default root namespace). */
export const ROOT_NAMESPACE = 'istio-system';

/** The reserved gateway name meaning "all sidecars". */
export const MESH_GATEWAY = 'mesh';

/** An Istio or Kubernetes object, reduced to what routing needs. */
export interface IndexedObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: any;
  readonly creationTimestamp?: string;
}

/** A VirtualService with hosts and gateways already resolved the way istiod resolves them. */
export interface IndexedVirtualService extends IndexedObject {
  /** FQDN-expanded, lower-cased hosts. */
  readonly hosts: string[];
  /** `ns/name` or `mesh`; `['mesh']` when the spec lists none. */
  readonly gateways: string[];
}

/** A pod as derived from a workload template (or a plain Pod). */
export interface IndexedPod {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** `Kind/name` of the object the pod came from. */
  readonly owner: string;
  /** The service account the pod runs as: its mesh identity. */
  readonly serviceAccount: string;
}

/** A Kubernetes Service port with its Istio protocol classification. */
export interface IndexedServicePort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: PortProtocol;
  /** The pod port traffic reaches, when given as a number (or implied by `port`). */
  readonly targetPort?: number;
}

/** How Istio treats a Service port (§7 protocol selection). */
export enum PortProtocol {
  HTTP = 'HTTP',
  TCP = 'TCP',
  /** TLS/HTTPS: routed by SNI (`tls` rules), which is not modelled. */
  TLS = 'TLS',
  /** No declared protocol: Envoy sniffs HTTP, otherwise TCP. */
  SNIFFED = 'SNIFFED',
}

/** A Kubernetes Service. */
export interface IndexedService extends IndexedObject {
  readonly fqdn: string;
  readonly selector?: Record<string, string>;
  readonly clusterIp?: string;
  readonly ports: IndexedServicePort[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const ISTIO_GROUP = 'networking.istio.io/';
const SECURITY_GROUP = 'security.istio.io/';

/**
 * Expands a short host name with the namespace of the config that mentions it (§1.4).
 */
export function resolveShortname(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.')) {
    return h;
  }
  return `${h}.${namespace}.svc.${DOMAIN_SUFFIX}`;
}

/**
 * Resolves a VirtualService `gateways` entry to `ns/name` (or `mesh`) as istiod does (§1.2).
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
    // legacy `name.ns.svc.cluster.local` form
    const [name, ns] = gateway.split('.');
    return `${ns}/${name}`;
  }
  return `${namespace}/${gateway}`;
}

/**
 * Whether `host` (possibly a wildcard) is contained in `pattern`: `*` matches anything,
 * `*.example.com` matches any name ending in `.example.com` but not `example.com` itself.
 */
export function hostMatches(host: string, pattern: string): boolean {
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
 * The more specific of two intersecting host patterns, or undefined when they do not intersect.
 */
export function hostIntersection(a: string, b: string): string | undefined {
  if (hostMatches(a, b)) {
    return a;
  }
  if (hostMatches(b, a)) {
    return b;
  }
  return undefined;
}

/** Whether every key/value of `selector` is present in `labels`. */
export function labelsSubsetOf(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === String(v));
}

/**
 * Classifies a Service port by `appProtocol`, else by the `<protocol>[-suffix]` name (§7).
 */
export function classifyPort(port: number, name?: string, appProtocol?: string): PortProtocol {
  const fromName = (value: string): PortProtocol | undefined => {
    const p = value.toLowerCase();
    if (['http', 'http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c', 'kubernetes.io/ws'].includes(p)) {
      return PortProtocol.HTTP;
    }
    if (['https', 'tls', 'kubernetes.io/wss'].includes(p)) {
      return PortProtocol.TLS;
    }
    // mysql/redis/mongo filters are off by default, so these ports are plain TCP (§7)
    if (['tcp', 'mysql', 'mongo', 'redis', 'udp'].includes(p)) {
      return PortProtocol.TCP;
    }
    return undefined;
  };
  if (appProtocol) {
    const p = fromName(appProtocol);
    if (p) {
      return p;
    }
  }
  if (name) {
    const prefix = name.toLowerCase().startsWith('grpc-web') ? 'grpc-web' : name.split('-')[0];
    const p = fromName(prefix);
    if (p) {
      return p;
    }
  }
  // server-first protocols on well-known ports are never sniffed
  if ([25, 53, 3306, 27017].includes(port)) {
    return PortProtocol.TCP;
  }
  return PortProtocol.SNIFFED;
}

/**
 * Whether a config with `exportTo` living in `ownNamespace` is visible from `namespace`.
 */
export function isExportedTo(exportTo: string[] | undefined, ownNamespace: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) {
    return true;
  }
  return exportTo.some((e) => e === '*' || e === namespace || (e === '.' && ownNamespace === namespace));
}

/**
 * istiod's config order: creation time, then name, then namespace. Objects applied together share
 * a creation second, so for plain YAML (no timestamps) the order is effectively by name.
 */
function compareByCreation(a: IndexedObject, b: IndexedObject): number {
  const ta = a.creationTimestamp ? Date.parse(a.creationTimestamp) : 0;
  const tb = b.creationTimestamp ? Date.parse(b.creationTimestamp) : 0;
  if (ta !== tb) {
    return ta - tb;
  }
  if (a.name !== b.name) {
    return a.name < b.name ? -1 : 1;
  }
  if (a.namespace !== b.namespace) {
    return a.namespace < b.namespace ? -1 : 1;
  }
  return 0;
}

/**
 * A read-only index over a set of manifests.
 */
export class ManifestIndex {
  /** Gateways, keyed by `ns/name`. */
  public readonly gateways = new Map<string, IndexedObject>();
  /** VirtualServices in istiod's creation order. */
  public readonly virtualServices: IndexedVirtualService[] = [];
  /** DestinationRules in istiod's creation order. */
  public readonly destinationRules: IndexedObject[] = [];
  /** Services keyed by FQDN. */
  public readonly services = new Map<string, IndexedService>();
  /** Hosts declared by ServiceEntries (not otherwise modelled). */
  public readonly serviceEntryHosts = new Set<string>();
  /** Pods derived from workloads. */
  public readonly pods: IndexedPod[] = [];
  /** AuthorizationPolicies in istiod's creation order. */
  public readonly authorizationPolicies: IndexedObject[] = [];
  /** PeerAuthentications in istiod's creation order. */
  public readonly peerAuthentications: IndexedObject[] = [];
  /** Whether any workload (Deployment, Pod, ...) was given at all. */
  public readonly hasWorkloads: boolean;

  constructor(manifests: any[]) {
    let workloads = 0;
    for (const manifest of flatten(manifests)) {
      const kind: string = manifest.kind;
      const apiVersion: string = String(manifest.apiVersion ?? '');
      const obj = toIndexed(manifest);
      if (apiVersion.startsWith(ISTIO_GROUP)) {
        if (kind === 'Gateway') {
          this.gateways.set(`${obj.namespace}/${obj.name}`, obj);
        } else if (kind === 'VirtualService') {
          this.virtualServices.push(indexVirtualService(obj));
        } else if (kind === 'DestinationRule') {
          this.destinationRules.push(obj);
        } else if (kind === 'ServiceEntry') {
          for (const h of obj.spec.hosts ?? []) {
            this.serviceEntryHosts.add(resolveShortname(String(h), obj.namespace));
          }
        }
        continue;
      }
      if (apiVersion.startsWith(SECURITY_GROUP)) {
        if (kind === 'AuthorizationPolicy') {
          this.authorizationPolicies.push(obj);
        } else if (kind === 'PeerAuthentication') {
          this.peerAuthentications.push(obj);
        }
        continue;
      }
      if (kind === 'Service') {
        const svc = indexService(obj);
        this.services.set(svc.fqdn, svc);
      } else if (kind === 'Pod') {
        workloads++;
        this.pods.push({ namespace: obj.namespace, labels: obj.labels, owner: `Pod/${obj.name}`, serviceAccount: serviceAccountOf(obj.spec) });
      } else if (WORKLOAD_KINDS.has(kind)) {
        workloads++;
        const replicas = obj.spec.replicas;
        // an explicit `replicas: 0` runs no pods, so a subset behind it has no endpoints
        if (replicas === 0) {
          continue;
        }
        const labels = stringRecord(obj.spec.template?.metadata?.labels);
        this.pods.push({ namespace: obj.namespace, labels, owner: `${kind}/${obj.name}`, serviceAccount: serviceAccountOf(obj.spec.template?.spec) });
      }
    }
    this.hasWorkloads = workloads > 0;
    this.virtualServices.sort(compareByCreation);
    this.destinationRules.sort(compareByCreation);
    this.authorizationPolicies.sort(compareByCreation);
    this.peerAuthentications.sort(compareByCreation);
  }

  /**
   * Looks up a Gateway by `namespace/name`, throwing a helpful error for malformed or unknown
   * references.
   */
  public gateway(ref: string): IndexedObject {
    const parts = ref.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new Error(`gateway reference '${ref}' is not of the form 'namespace/name'`);
    }
    const gw = this.gateways.get(ref);
    if (!gw) {
      const known = [...this.gateways.keys()].sort().join(', ') || 'none';
      throw new Error(`gateway '${ref}' is not in the manifests (known gateways: ${known})`);
    }
    return gw;
  }

  /**
   * Host names a sidecar in `clientNamespace` answers for this service (§1.4): `svc` only from the
   * same namespace, then `svc.ns`, `svc.ns.svc`, the FQDN and the FQDN with a trailing dot.
   */
  public altNames(svc: IndexedService, clientNamespace: string): string[] {
    const names: string[] = [];
    if (svc.namespace === clientNamespace) {
      names.push(svc.name);
    }
    names.push(`${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`, svc.fqdn, `${svc.fqdn}.`);
    if (svc.clusterIp && svc.clusterIp !== 'None') {
      names.push(svc.clusterIp);
    }
    return names;
  }

  /** The Service a sidecar in `clientNamespace` resolves `host` (port-stripped) to. */
  public serviceForHost(host: string, clientNamespace: string): IndexedService | undefined {
    const h = host.toLowerCase();
    for (const svc of this.services.values()) {
      if (this.altNames(svc, clientNamespace).includes(h)) {
        return svc;
      }
    }
    return undefined;
  }

  /** Pods in `namespace` carrying all the given label sets. */
  public podsMatching(namespace: string, ...selectors: (Record<string, string> | undefined)[]): IndexedPod[] {
    return this.pods.filter((p) => p.namespace === namespace && selectors.every((s) => labelsSubsetOf(s, p.labels)));
  }

  /** The gateway pod a Gateway's selector picks, preferring one in the Gateway's namespace. */
  public gatewayPod(gw: IndexedObject): IndexedPod | undefined {
    const selector: Record<string, string> = gw.spec.selector ?? {};
    const pods = Object.keys(selector).length > 0 ? this.podsSelectedAnywhere(selector) : [];
    return pods.find((p) => p.namespace === gw.namespace) ?? pods[0];
  }

  /** Pods in any namespace carrying the given labels (how a Gateway selector finds its workload). */
  public podsSelectedAnywhere(selector: Record<string, string>): IndexedPod[] {
    return this.pods.filter((p) => labelsSubsetOf(selector, p.labels));
  }
}

/** Every object of the manifests, with Lists and nested arrays flattened. */
export function* flatten(manifests: any[]): Generator<any> {
  for (const m of manifests ?? []) {
    if (!m || typeof m !== 'object') {
      continue;
    }
    if (Array.isArray(m)) {
      yield* flatten(m);
    } else if (m.kind === 'List' && Array.isArray(m.items)) {
      yield* flatten(m.items);
    } else if (typeof m.kind === 'string') {
      yield m;
    }
  }
}

function stringRecord(value: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    out[k] = String(v);
  }
  return out;
}

/** A pod spec's service account; Kubernetes runs pods without one as `default`. */
function serviceAccountOf(podSpec: any): string {
  return String(podSpec?.serviceAccountName ?? podSpec?.serviceAccount ?? 'default');
}

function toIndexed(manifest: any): IndexedObject {
  const md = manifest.metadata ?? {};
  return {
    kind: manifest.kind,
    name: String(md.name ?? ''),
    namespace: String(md.namespace ?? 'default'),
    labels: stringRecord(md.labels),
    annotations: stringRecord(md.annotations),
    spec: manifest.spec ?? {},
    creationTimestamp: md.creationTimestamp ? String(md.creationTimestamp) : undefined,
  };
}

function indexVirtualService(obj: IndexedObject): IndexedVirtualService {
  const gws: string[] = (obj.spec.gateways ?? []).map((g: any) => resolveGatewayName(String(g), obj.namespace));
  return {
    ...obj,
    hosts: (obj.spec.hosts ?? []).map((h: any) => resolveShortname(String(h), obj.namespace)),
    gateways: gws.length > 0 ? gws : [MESH_GATEWAY],
  };
}

function indexService(obj: IndexedObject): IndexedService {
  const ports: IndexedServicePort[] = (obj.spec.ports ?? []).map((p: any) => ({
    port: Number(p.port),
    name: p.name,
    targetPort: p.targetPort === undefined ? Number(p.port) : typeof p.targetPort === 'number' ? p.targetPort : /^\d+$/.test(String(p.targetPort)) ? Number(p.targetPort) : undefined,
    protocol: String(p.protocol ?? 'TCP').toUpperCase() === 'UDP'
      ? PortProtocol.TCP
      : classifyPort(Number(p.port), p.name, p.appProtocol),
  }));
  return {
    ...obj,
    fqdn: `${obj.name}.${obj.namespace}.svc.${DOMAIN_SUFFIX}`,
    selector: obj.spec.selector ? stringRecord(obj.spec.selector) : undefined,
    clusterIp: obj.spec.clusterIP,
    ports,
  };
}
