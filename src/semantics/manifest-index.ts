import { extend } from './extend';
import { pushTo } from './multimap';
import {
  exportScopes, hostCovers, isExportedTo, labelsSubsetOf, MESH_GATEWAY, resolveGatewayName, resolveShortname, selectorKey, serviceExportTo,
  stringRecord, DOMAIN_SUFFIX,
} from './names';
import { classifyPort, PortProtocol } from './protocols';
import { HOSTNAME_LABEL, TOPOLOGY_LABELS } from './topology';
import { ManifestSource, manifestSource } from '../manifests/manifest-source';

/**
 * Plain Kubernetes manifests indexed the way istiod sees them: Istio configs in creation order,
 * short hosts expanded, gateway references resolved, pods derived from workload templates, and
 * every cross-object lookup a map access (no scans over all objects per request).
 */

/** An Istio or Kubernetes object, reduced to what routing needs. */
export interface IndexedObject {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: any;
  readonly creationTimestamp?: string;
  /** Where the manifest was read from, when known. */
  readonly source?: ManifestSource;
}

/** A VirtualService with hosts and gateways resolved the way istiod resolves them. */
export interface IndexedVirtualService extends IndexedObject {
  /** FQDN-expanded, lower-cased hosts. */
  readonly hosts: string[];
  /** `ns/name` or `mesh`; `['mesh']` when the spec lists none. */
  readonly gateways: string[];
  /** `spec.exportTo`, when given. */
  readonly exportTo?: string[];
  /** Position in istiod's creation order. */
  readonly order: number;
}

/** A DestinationRule with its host resolved. */
export interface IndexedDestinationRule extends IndexedObject {
  /** FQDN-expanded, lower-cased `spec.host`. */
  readonly host: string;
  readonly exportTo?: string[];
}

/** Pods as derived from one workload template (or a plain Pod). */
export interface IndexedPod {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** `Kind/name` of the object the pods come from. */
  readonly owner: string;
  /** False for a workload with `replicas: 0`: its template is known but no pod runs. */
  readonly running: boolean;
  /** The service account the pods run as: their mesh identity. */
  readonly serviceAccount: string;
  /**
   * Topology labels istiod adds to the pods' endpoints, as far as the manifests tell: from
   * `nodeName` (and that Node's labels) or a `nodeSelector` on the topology keys.
   */
  readonly topology: Record<string, string>;
  /** Whether the pods' Node is among the manifests, so labels it lacks are known to be absent. */
  readonly nodeKnown: boolean;
}

/** A Kubernetes Service port with its Istio protocol classification. */
export interface IndexedServicePort {
  readonly port: number;
  readonly name?: string;
  /** `appProtocol`, when set (istiod then ignores the name). */
  readonly appProtocol?: string;
  readonly protocol: PortProtocol;
  /** The pod port traffic reaches, when given as a number (or implied by `port`). */
  readonly targetPort?: number;
}

/** A Kubernetes Service. */
export interface IndexedService extends IndexedObject {
  readonly fqdn: string;
  readonly selector?: Record<string, string>;
  readonly clusterIp?: string;
  readonly ports: IndexedServicePort[];
  /** From the `networking.istio.io/exportTo` annotation, when given. */
  readonly exportTo?: string[];
}

/** A ServiceEntry: registry hosts without Kubernetes endpoints we can check. */
export interface IndexedServiceEntry extends IndexedObject {
  readonly hosts: string[];
  readonly exportTo?: string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const ISTIO_GROUP = 'networking.istio.io/';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io/';
const SECURITY_GROUP = 'security.istio.io/';

/**
 * istiod's config order (`pilot/pkg/model/config.go` `sortConfigByCreationTime`): creation time,
 * then name, then namespace. Objects applied together share a creation second, so for plain YAML
 * (no timestamps) the order is effectively by name.
 */
export function compareByCreation(a: IndexedObject, b: IndexedObject): number {
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
 * A read-only index over a set of manifests. Build it once; every lookup afterwards is a map
 * access or a walk over a short candidate list.
 */
export class ManifestIndex {
  /** Gateways keyed by `ns/name`. */
  public readonly gateways = new Map<string, IndexedObject>();
  /** Gateway API Gateways (`gateway.networking.k8s.io`) keyed by `ns/name`; VirtualServices may bind to them. */
  public readonly kubernetesGateways = new Map<string, IndexedObject>();
  /** Gateways in istiod's creation order (the order `mergeGateways` sees them in). */
  public readonly gatewayList: IndexedObject[] = [];
  /** VirtualServices in istiod's creation order. */
  public readonly virtualServices: IndexedVirtualService[] = [];
  /** DestinationRules in istiod's creation order. */
  public readonly destinationRules: IndexedDestinationRule[] = [];
  /** Services keyed by FQDN. */
  public readonly services = new Map<string, IndexedService>();
  /** ServiceEntries in creation order. */
  public readonly serviceEntries: IndexedServiceEntry[] = [];
  /** Pods derived from workloads. */
  public readonly pods: IndexedPod[] = [];
  /** AuthorizationPolicies in istiod's creation order. */
  public readonly authorizationPolicies: IndexedObject[] = [];
  /** PeerAuthentications in istiod's creation order. */
  public readonly peerAuthentications: IndexedObject[] = [];
  /** Nodes keyed by name, for the topology labels of the endpoints on them. */
  public readonly nodes = new Map<string, Record<string, string>>();
  /** Gateway API objects (`gateway.networking.k8s.io`), in istiod's creation order; `semantics/gateway-api` reads them. */
  public readonly gatewayApiObjects: IndexedObject[] = [];
  /** Namespace objects keyed by name (their labels select routes and enrol ambient mode). */
  public readonly namespaces = new Map<string, IndexedObject>();
  /** Whether any workload (Deployment, Pod, ...) was given at all. */
  public readonly hasWorkloads: boolean;

  private readonly vsByGateway = new Map<string, IndexedVirtualService[]>();
  private readonly meshVsByHost = new Map<string, IndexedVirtualService[]>();
  private readonly meshWildcardVs: IndexedVirtualService[] = [];
  private readonly serviceNames = new Map<string, IndexedService[]>();
  private readonly drByNamespaceHost = new Map<string, IndexedDestinationRule[]>();
  private readonly drWildcardsByNamespace = new Map<string, IndexedDestinationRule[]>();
  private readonly seByHost = new Map<string, IndexedServiceEntry[]>();
  private readonly seWildcards: { host: string; entry: IndexedServiceEntry }[] = [];
  private readonly podsByLabel = new Map<string, IndexedPod[]>();
  private readonly podsBySelector = new Map<string, IndexedPod[]>();
  private readonly wildcardServices = new Map<string, IndexedService[]>();

  constructor(manifests: any[]) {
    let workloads = 0;
    const vss: IndexedObject[] = [];
    const podSpecs: { pod: Omit<IndexedPod, 'topology' | 'nodeKnown'>; spec: any }[] = [];
    for (const manifest of flatten(manifests)) {
      const kind: string = manifest.kind;
      const apiVersion = String(manifest.apiVersion ?? '');
      const obj = toIndexed(manifest);
      if (apiVersion.startsWith(ISTIO_GROUP)) {
        if (kind === 'Gateway') {
          this.gateways.set(`${obj.namespace}/${obj.name}`, obj);
          this.gatewayList.push(obj);
        } else if (kind === 'VirtualService') {
          vss.push(obj);
        } else if (kind === 'DestinationRule') {
          this.destinationRules.push(extend(obj, { host: resolveShortname(String(obj.spec.host ?? ''), obj.namespace), exportTo: exportToOf(obj.spec) }));
        } else if (kind === 'ServiceEntry') {
          this.serviceEntries.push(indexServiceEntry(obj));
        }
        continue;
      }
      if (apiVersion.startsWith(GATEWAY_API_GROUP)) {
        this.gatewayApiObjects.push(obj);
        if (kind === 'Gateway') {
          this.kubernetesGateways.set(`${obj.namespace}/${obj.name}`, obj);
        }
        continue;
      }
      if (kind === 'Namespace' && apiVersion === 'v1') {
        this.namespaces.set(obj.name, extend(obj, { namespace: obj.name }));
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
      if (kind === 'Service' && apiVersion === 'v1') {
        const svc = indexService(obj);
        this.services.set(svc.fqdn, svc);
      } else if (kind === 'Pod' && apiVersion === 'v1') {
        workloads++;
        podSpecs.push({ pod: { namespace: obj.namespace, labels: obj.labels, owner: `Pod/${obj.name}`, running: true, serviceAccount: serviceAccountOf(obj.spec) }, spec: obj.spec });
      } else if (kind === 'Node' && apiVersion === 'v1') {
        this.nodes.set(obj.name, obj.labels);
      } else if (WORKLOAD_KINDS.has(kind)) {
        workloads++;
        const labels = stringRecord(obj.spec.template?.metadata?.labels);
        // an explicit `replicas: 0` runs no pods, yet the template still tells whose pods these are
        podSpecs.push({
          pod: {
            namespace: obj.namespace,
            labels,
            owner: `${kind}/${obj.name}`,
            running: obj.spec.replicas !== 0,
            serviceAccount: serviceAccountOf(obj.spec.template?.spec),
          },
          spec: obj.spec.template?.spec,
        });
      }
    }
    for (const { pod, spec } of podSpecs) {
      const node = typeof spec?.nodeName === 'string' ? spec.nodeName : undefined;
      const nodeLabels = node !== undefined ? this.nodes.get(node) : undefined;
      this.pods.push(extend(pod, { topology: endpointTopology(spec, nodeLabels), nodeKnown: nodeLabels !== undefined }));
    }
    this.hasWorkloads = workloads > 0;
    this.gatewayList.sort(compareByCreation);
    vss.sort(compareByCreation);
    vss.forEach((obj, order) => this.virtualServices.push(indexVirtualService(obj, order)));
    this.destinationRules.sort(compareByCreation);
    this.gatewayApiObjects.sort(compareByCreation);
    this.serviceEntries.sort(compareByCreation);
    this.authorizationPolicies.sort(compareByCreation);
    this.peerAuthentications.sort(compareByCreation);
    this.buildIndexes();
  }

  private buildIndexes(): void {
    for (const vs of this.virtualServices) {
      for (const g of distinct(vs.gateways)) {
        pushTo(this.vsByGateway, g, vs);
      }
      if (vs.gateways.includes(MESH_GATEWAY)) {
        if (vs.hosts.some((h) => h.startsWith('*'))) {
          this.meshWildcardVs.push(vs);
        }
        for (const h of distinct(vs.hosts)) {
          if (!h.startsWith('*')) {
            pushTo(this.meshVsByHost, h, vs);
          }
        }
      }
    }
    for (const svc of this.services.values()) {
      const names = [`${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`, svc.fqdn, `${svc.fqdn}.`];
      if (svc.clusterIp && svc.clusterIp !== 'None') {
        names.push(svc.clusterIp);
      }
      for (const n of names) {
        pushTo(this.serviceNames, n, svc);
      }
      pushTo(this.serviceNames, `${svc.namespace}/${svc.name}`, svc);
    }
    for (const dr of this.destinationRules) {
      if (dr.host.startsWith('*')) {
        pushTo(this.drWildcardsByNamespace, dr.namespace, dr);
      } else {
        pushTo(this.drByNamespaceHost, `${dr.namespace}|${dr.host}`, dr);
      }
    }
    for (const se of this.serviceEntries) {
      for (const h of se.hosts) {
        if (h.startsWith('*')) {
          this.seWildcards.push({ host: h, entry: se });
        } else {
          pushTo(this.seByHost, h, se);
        }
      }
    }
    for (const pod of this.pods) {
      for (const k of Object.keys(pod.labels)) {
        pushTo(this.podsByLabel, `${k}=${pod.labels[k]}`, pod);
      }
    }
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

  /** VirtualServices whose top-level `gateways` name `gateway` (`ns/name` or `mesh`), in creation order. */
  public virtualServicesForGateway(gateway: string): readonly IndexedVirtualService[] {
    return this.vsByGateway.get(gateway) ?? [];
  }

  /**
   * Mesh VirtualServices that may claim `host` (an exact name) for sidecars: those listing it, and
   * those with a wildcard host covering it, in creation order.
   */
  public meshVirtualServicesForHost(host: string): IndexedVirtualService[] {
    const exact = this.meshVsByHost.get(host) ?? [];
    const wild = this.meshWildcardVs.filter((vs) => vs.hosts.some((h) => h.startsWith('*') && hostCovers(h, host)));
    if (wild.length === 0) {
      return exact;
    }
    return [...new Set([...exact, ...wild])].sort((a, b) => a.order - b.order);
  }

  /** Mesh VirtualServices with at least one wildcard host, in creation order. */
  public meshWildcardVirtualServices(): readonly IndexedVirtualService[] {
    return this.meshWildcardVs;
  }

  /** Services a wildcard host covers (cached per pattern). */
  public servicesCoveredBy(pattern: string): IndexedService[] {
    let list = this.wildcardServices.get(pattern);
    if (!list) {
      list = [...this.services.values()].filter((s) => hostCovers(pattern, s.fqdn));
      this.wildcardServices.set(pattern, list);
    }
    return list;
  }

  /** Whether a Service is visible to proxies in `namespace` (its `networking.istio.io/exportTo`). */
  public isServiceVisible(svc: IndexedService, namespace: string): boolean {
    return isExportedTo(svc.exportTo, svc.namespace, namespace);
  }

  /**
   * The Service a sidecar in `clientNamespace` resolves `host` (lower-cased, port-stripped) to:
   * `svc` only from the same namespace, then `svc.ns`, `svc.ns.svc`, the FQDN (with or without a
   * trailing dot) and the ClusterIP (`httproute.go` `generateVirtualHostDomains`). Services not
   * exported to the client's namespace are invisible.
   */
  public serviceForHost(host: string, clientNamespace: string): IndexedService | undefined {
    const candidates = host.includes('.') || host.includes(':')
      ? this.serviceNames.get(host)
      : this.serviceNames.get(`${clientNamespace}/${host}`);
    return candidates?.find((s) => this.isServiceVisible(s, clientNamespace));
  }

  /** Host names a sidecar in `clientNamespace` answers for this service. */
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

  /** ServiceEntries declaring `host` (exactly or by wildcard) visible from `namespace`. */
  public serviceEntriesFor(host: string, namespace?: string): IndexedServiceEntry[] {
    const out = [...(this.seByHost.get(host) ?? [])];
    for (const w of this.seWildcards) {
      if (hostCovers(w.host, host) && !out.includes(w.entry)) {
        out.push(w.entry);
      }
    }
    return namespace === undefined ? out : out.filter((se) => isExportedTo(se.exportTo, se.namespace, namespace));
  }

  /** Whether `fqdn` is a Service or ServiceEntry host among the manifests. */
  public isRegistryHost(fqdn: string): boolean {
    return this.services.has(fqdn) || this.serviceEntriesFor(fqdn).length > 0;
  }

  /**
   * The registry entry istioctl finds for a host referenced by a config of `namespace` exported to
   * `exportTo` (`analyzers/util/service_lookup.go` `GetDestinationHost`): a Service or ServiceEntry
   * with that exact host whose export scopes meet the config's (its namespace when `exportTo` is
   * empty; `*` meets only entries exported everywhere), else a wildcard ServiceEntry exported
   * everywhere or to the config's own namespace whose suffix the host ends with. A `hosts: ['*']`
   * ServiceEntry exported to one namespace thus covers hosts only for configs of that namespace.
   */
  public registryEntryFor(fqdn: string, namespace: string, exportTo: readonly string[] | undefined): RegistryEntry | undefined {
    // the config's own namespace when it has no exportTo (not `*`): GetDestinationHost looks there
    const scopes = exportTo && exportTo.length > 0 ? exportTo.map((e) => (e === '.' ? namespace : e)) : [namespace];
    const meets = (entryScopes: string[]) => entryScopes.includes('*') || entryScopes.some((s) => scopes.includes(s));
    const svc = this.services.get(fqdn);
    if (svc && meets(exportScopes(svc.exportTo, svc.namespace))) {
      return { service: svc, ports: svc.ports.map((p) => p.port) };
    }
    const exact = (this.seByHost.get(fqdn) ?? []).find((se) => meets(exportScopes(se.exportTo, se.namespace)))
      ?? this.seWildcards.find((w) => w.host === fqdn && meets(exportScopes(w.entry.exportTo, w.entry.namespace)))?.entry;
    if (exact) {
      return entryOf(exact);
    }
    const bare = fqdn.startsWith('*') ? fqdn.slice(1) : fqdn;
    const wild = this.seWildcards.find((w) => {
      const entryScopes = exportScopes(w.entry.exportTo, w.entry.namespace);
      return (entryScopes.includes('*') || entryScopes.includes(namespace)) && bare.endsWith(w.host.slice(1));
    });
    return wild ? entryOf(wild.entry) : undefined;
  }

  /**
   * DestinationRules in `namespace` for `host`, visible from `clientNamespace`: exact hosts beat
   * wildcard ones.
   */
  public destinationRulesIn(namespace: string, host: string, clientNamespace: string): IndexedDestinationRule[] {
    const visible = (dr: IndexedDestinationRule) => isExportedTo(dr.exportTo, dr.namespace, clientNamespace);
    const exact = (this.drByNamespaceHost.get(`${namespace}|${host}`) ?? []).filter(visible);
    if (exact.length > 0) {
      return exact;
    }
    return (this.drWildcardsByNamespace.get(namespace) ?? []).filter((dr) => visible(dr) && hostCovers(dr.host, host));
  }

  /**
   * Pods carrying all labels of every selector, optionally only in one namespace. Starts from the
   * rarest label so the cost is bounded by the smallest matching bucket, not by all pods.
   */
  public podsMatching(namespace: string | undefined, ...selectors: (Record<string, string> | undefined)[]): IndexedPod[] {
    let candidates: IndexedPod[] = this.pods;
    for (const selector of selectors) {
      for (const k of Object.keys(selector ?? {})) {
        const bucket = this.podsByLabel.get(`${k}=${selector![k]}`) ?? [];
        if (bucket.length < candidates.length) {
          candidates = bucket;
        }
      }
    }
    // each selector separately: two selectors may disagree on a key, and then nothing matches
    return candidates.filter((p) => (namespace === undefined || p.namespace === namespace) && selectors.every((s) => labelsSubsetOf(s, p.labels)));
  }

  /** The gateway pod a Gateway's selector picks, preferring one in the Gateway's namespace. */
  public gatewayPod(gw: IndexedObject): IndexedPod | undefined {
    const selector: Record<string, string> = gw.spec.selector ?? {};
    const pods = Object.keys(selector).length > 0 ? this.podsSelectedAnywhere(selector) : [];
    return pods.find((p) => p.namespace === gw.namespace) ?? pods[0];
  }

  /** Pods in any namespace carrying the given labels (how a Gateway selector finds its workload). */
  public podsSelectedAnywhere(selector: Record<string, string>): IndexedPod[] {
    const key = selectorKey(selector);
    let pods = this.podsBySelector.get(key);
    if (!pods) {
      pods = this.podsMatching(undefined, selector);
      this.podsBySelector.set(key, pods);
    }
    return pods;
  }
}

/** The Service or ServiceEntry a reference resolves to, with the ports it declares. */
export interface RegistryEntry {
  readonly service?: IndexedService;
  readonly serviceEntry?: IndexedServiceEntry;
  readonly ports: number[];
}

function entryOf(se: IndexedServiceEntry): RegistryEntry {
  const ports = (Array.isArray(se.spec.ports) ? se.spec.ports : []).map((p: any) => Number(p?.number));
  return { serviceEntry: se, ports };
}

/** The values without repeats; most lists here hold one value, which needs no Set. */
function distinct<T>(values: T[]): readonly T[] {
  return values.length < 2 ? values : [...new Set(values)];
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

/**
 * The topology labels istiod adds to endpoints (`pilot/pkg/serviceregistry/util/label/label.go`
 * `AugmentLabels`): region, zone and subzone from the Node's labels, and the node name as
 * `kubernetes.io/hostname`. A `nodeSelector` on these keys pins them too.
 */
function endpointTopology(podSpec: any, nodeLabels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const selector = stringRecord(podSpec?.nodeSelector);
  for (const key of TOPOLOGY_LABELS) {
    if (selector[key] !== undefined) {
      out[key] = selector[key];
    }
  }
  for (const key of TOPOLOGY_LABELS) {
    if (key !== HOSTNAME_LABEL && nodeLabels?.[key] !== undefined) {
      out[key] = nodeLabels[key];
    }
  }
  if (typeof podSpec?.nodeName === 'string') {
    out[HOSTNAME_LABEL] = podSpec.nodeName;
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
    labels: stringMap(md.labels),
    annotations: stringMap(md.annotations),
    spec: manifest.spec && typeof manifest.spec === 'object' ? manifest.spec : {},
    creationTimestamp: md.creationTimestamp ? String(md.creationTimestamp) : undefined,
    source: manifestSource(manifest),
  };
}

const NO_STRINGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Labels or annotations as strings. The index only reads them, so a map that already holds only
 * strings is used as it is: tens of thousands of objects are indexed at once.
 */
function stringMap(value: any): Record<string, string> {
  if (!value || typeof value !== 'object') {
    return NO_STRINGS;
  }
  for (const k in value) {
    if (typeof value[k] !== 'string') {
      return stringRecord(value);
    }
  }
  return value;
}

function exportToOf(spec: any): string[] | undefined {
  return Array.isArray(spec.exportTo) && spec.exportTo.length > 0 ? spec.exportTo.map(String) : undefined;
}

function indexVirtualService(obj: IndexedObject, order: number): IndexedVirtualService {
  const gws: string[] = (Array.isArray(obj.spec.gateways) ? obj.spec.gateways : []).map((g: any) => resolveGatewayName(String(g), obj.namespace));
  return extend(obj, {
    hosts: (Array.isArray(obj.spec.hosts) ? obj.spec.hosts : []).map((h: any) => resolveShortname(String(h), obj.namespace)),
    gateways: gws.length > 0 ? gws : [MESH_GATEWAY],
    exportTo: exportToOf(obj.spec),
    order,
  });
}

function indexServiceEntry(obj: IndexedObject): IndexedServiceEntry {
  return extend(obj, {
    hosts: (Array.isArray(obj.spec.hosts) ? obj.spec.hosts : []).map((h: any) => resolveShortname(String(h), obj.namespace)),
    exportTo: exportToOf(obj.spec),
  });
}

function indexService(obj: IndexedObject): IndexedService {
  const ports: IndexedServicePort[] = (Array.isArray(obj.spec.ports) ? obj.spec.ports : []).map((p: any) => ({
    port: Number(p?.port),
    name: p?.name,
    appProtocol: p?.appProtocol === undefined || p?.appProtocol === null ? undefined : String(p.appProtocol),
    targetPort: targetPortNumber(p),
    protocol: String(p?.protocol ?? 'TCP').toUpperCase() === 'UDP'
      ? PortProtocol.TCP
      : classifyPort(Number(p?.port), p?.name, p?.appProtocol),
  }));
  return extend(obj, {
    fqdn: `${obj.name}.${obj.namespace}.svc.${DOMAIN_SUFFIX}`,
    selector: obj.spec.selector ? stringRecord(obj.spec.selector) : undefined,
    clusterIp: obj.spec.clusterIP,
    ports,
    exportTo: serviceExportTo(obj.annotations),
  });
}

/** A Service port's target port as a number; named target ports are resolved only by pods. */
function targetPortNumber(port: any): number | undefined {
  const target = port?.targetPort;
  if (target === undefined) {
    return Number(port?.port);
  }
  return typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : undefined;
}
