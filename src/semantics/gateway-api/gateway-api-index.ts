import { listenerHost, listenerRouteDomain, routeHosts } from './hostnames';
import { extend } from '../extend';
import { IndexedObject, IndexedService, ManifestIndex } from '../manifest-index';
import { pushTo } from '../multimap';
import { DOMAIN_SUFFIX, labelsSubsetOf, stringRecord } from '../names';

/**
 * Gateway API objects indexed the way istiod 1.30 reads them (docs/gateway-api-semantics.md §1):
 * Gateways of class `istio` with their listeners, routes with the defaults of their parentRefs, every
 * parentRef resolved once to the listeners or Service it attaches to (or why it does not, as the
 * route status condition istiod writes), and ReferenceGrants by namespace. Built once per
 * `ManifestIndex`; every lookup afterwards is a map access.
 */

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The class istiod deploys and programs gateways for. */
export const ISTIO_GATEWAY_CLASS = 'istio';
/** The class of ambient waypoints: never a route parent (§5.2). */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute'] as const;

/** One listener of a Gateway. */
export interface GatewayApiListener {
  readonly name: string;
  readonly hostname?: string;
  readonly port: number;
  readonly protocol: string;
  readonly tlsMode?: string;
  readonly allowedRoutes: any;
}

/** A Gateway API `Gateway`. */
export interface GatewayApiGateway extends IndexedObject {
  readonly className: string;
  readonly listeners: GatewayApiListener[];
}

/** A route (HTTPRoute, GRPCRoute, TCPRoute) as indexed. */
export interface GatewayApiRoute extends IndexedObject {
  readonly hostnames: string[];
  readonly rules: any[];
  readonly parentRefs: ParentRef[];
  /** Position in the order istiod merges routes in: creation time, then namespace, then name. */
  readonly order: number;
}

/** A parentRef with the API server's defaults (group `gateway.networking.k8s.io`, kind `Gateway`, the route's namespace). */
export interface ParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

/** Why a parentRef does not attach: the reason of the `Accepted=False` condition istiod writes (§4.4), or a silent skip. */
export enum AttachmentProblem {
  /** The parent does not exist, or no listener has the `sectionName` / `port`. */
  NO_MATCHING_PARENT = 'NoMatchingParent',
  /** No listener hostname intersects the route's hostnames. */
  NO_MATCHING_LISTENER_HOSTNAME = 'NoMatchingListenerHostname',
  /** The listeners' `allowedRoutes` do not admit the route's namespace or kind. */
  NOT_ALLOWED_BY_LISTENERS = 'NotAllowedByListeners',
  /** A group/kind istiod does not handle: skipped without any status (§1.5, §8 P2). */
  IGNORED_KIND = 'IgnoredKind',
  /** A Gateway of another class: istiod does not program it. */
  NOT_ISTIO_CLASS = 'NotIstioClass',
}

/** What one parentRef of a route attaches to. */
export interface ParentAttachment {
  readonly route: GatewayApiRoute;
  readonly parentIndex: number;
  readonly parent: ParentRef;
  readonly gateway?: GatewayApiGateway;
  /** Listeners that accept the route (Gateway parents). */
  readonly listeners: GatewayApiListener[];
  /** The parent Service (mesh routes). */
  readonly service?: IndexedService;
  readonly problem?: AttachmentProblem;
  /** The problem in words. */
  readonly message?: string;
}

/** Route kinds each listener protocol carries (`pilot/pkg/config/kube/gateway/conditions.go`). */
function kindsFor(listener: GatewayApiListener): string[] {
  switch (listener.protocol) {
    case 'HTTP':
    case 'HTTPS': return ['HTTPRoute', 'GRPCRoute'];
    case 'TCP': return ['TCPRoute'];
    case 'TLS': return listener.tlsMode === 'Passthrough' ? ['TLSRoute'] : ['TLSRoute', 'TCPRoute'];
    default: return [];
  }
}

/**
 * Gateway API's tie-break between routes (docs/gateway-api-semantics.md §2.5): creation time, then
 * `namespace/name` alphabetically, unlike istiod's own config order (name before namespace).
 */
function compareRoutes(a: IndexedObject, b: IndexedObject): number {
  const ta = a.creationTimestamp ? Date.parse(a.creationTimestamp) : 0;
  const tb = b.creationTimestamp ? Date.parse(b.creationTimestamp) : 0;
  return ta - tb || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const cache = new WeakMap<ManifestIndex, GatewayApiIndex>();

/** The Gateway API view of a set of manifests. */
export class GatewayApiIndex {
  /** The index for these manifests (built once, cached). */
  public static of(index: ManifestIndex): GatewayApiIndex {
    let found = cache.get(index);
    if (!found) {
      found = new GatewayApiIndex(index);
      cache.set(index, found);
    }
    return found;
  }

  /** Gateways keyed by `namespace/name`. */
  public readonly gateways = new Map<string, GatewayApiGateway>();
  /** Routes in istiod's merge order. */
  public readonly routes: GatewayApiRoute[] = [];
  /** Every parentRef of every route, resolved. */
  public readonly attachments: ParentAttachment[] = [];
  /** ReferenceGrants keyed by their namespace. */
  private readonly grants = new Map<string, IndexedObject[]>();
  private readonly byListener = new Map<string, ParentAttachment[]>();
  private readonly byService = new Map<string, ParentAttachment[]>();

  private constructor(public readonly index: ManifestIndex) {
    const routes: IndexedObject[] = [];
    for (const obj of index.gatewayApiObjects) {
      if (obj.kind === 'Gateway') {
        this.gateways.set(`${obj.namespace}/${obj.name}`, indexGateway(obj));
      } else if ((ROUTE_KINDS as readonly string[]).includes(obj.kind)) {
        routes.push(obj);
      } else if (obj.kind === 'ReferenceGrant') {
        pushTo(this.grants, obj.namespace, obj);
      }
    }
    routes.sort(compareRoutes).forEach((obj, order) => this.routes.push(indexRoute(obj, order)));
    for (const route of this.routes) {
      route.parentRefs.forEach((parent, parentIndex) => {
        const attachment = this.attach(route, parent, parentIndex);
        this.attachments.push(attachment);
        for (const l of attachment.listeners) {
          pushTo(this.byListener, `${attachment.gateway!.namespace}/${attachment.gateway!.name}/${l.name}`, attachment);
        }
        if (attachment.service && !attachment.problem) {
          pushTo(this.byService, attachment.service.fqdn, attachment);
        }
      });
    }
  }

  /** A Gateway by `namespace/name`. */
  public gateway(ref: string): GatewayApiGateway | undefined {
    return this.gateways.get(ref);
  }

  /** Attachments to one listener, in route merge order. */
  public attachedToListener(gateway: GatewayApiGateway, listener: GatewayApiListener): readonly ParentAttachment[] {
    return this.byListener.get(`${gateway.namespace}/${gateway.name}/${listener.name}`) ?? [];
  }

  /** Accepted Service parentRefs naming a Service, in route merge order. */
  public attachedToService(svc: IndexedService): readonly ParentAttachment[] {
    return this.byService.get(svc.fqdn) ?? [];
  }

  /**
   * Whether a ReferenceGrant in `toNamespace` lets a `fromKind` in `fromNamespace` reference the
   * `toKind` named `toName` (§1.7; `pilot/pkg/config/kube/gatewaycommon/references.go`): `from`
   * and `to` entries are each ORed, a `to` without name admits every object of its kind.
   */
  public isGranted(fromKind: string, fromNamespace: string, toGroup: string, toKind: string, toNamespace: string, toName: string): boolean {
    if (fromNamespace === toNamespace) {
      return true;
    }
    return (this.grants.get(toNamespace) ?? []).some((g) => {
      const from = Array.isArray(g.spec.from) ? g.spec.from : [];
      const to = Array.isArray(g.spec.to) ? g.spec.to : [];
      return from.some((f: any) => String(f?.group ?? '') === GATEWAY_API_GROUP && f?.kind === fromKind && f?.namespace === fromNamespace)
        && to.some((t: any) => String(t?.group ?? '') === toGroup && t?.kind === toKind && (t?.name === undefined || t.name === toName));
    });
  }

  private attach(route: GatewayApiRoute, parent: ParentRef, parentIndex: number): ParentAttachment {
    const base = { route, parent, parentIndex, listeners: [] };
    const ref = `${parent.namespace}/${parent.name}`;
    if (parent.group === '' && parent.kind === 'Service') {
      const service = this.index.services.get(`${parent.name}.${parent.namespace}.svc.${DOMAIN_SUFFIX}`);
      return service
        ? extend(base, { service })
        : { ...base, problem: AttachmentProblem.NO_MATCHING_PARENT, message: `parent Service ${ref} is not in the manifests` };
    }
    if (parent.group !== GATEWAY_API_GROUP || parent.kind !== 'Gateway') {
      const group = parent.group === '' ? '""' : parent.group;
      return { ...base, problem: AttachmentProblem.IGNORED_KIND, message: `parent ${group}/${parent.kind} ${ref} is not a kind istiod attaches routes to (Gateway, or Service with group "")` };
    }
    const gateway = this.gateways.get(ref);
    if (!gateway) {
      return { ...base, problem: AttachmentProblem.NO_MATCHING_PARENT, message: `parent Gateway ${ref} is not in the manifests` };
    }
    if (gateway.className !== ISTIO_GATEWAY_CLASS) {
      const why = gateway.className === WAYPOINT_GATEWAY_CLASS
        ? 'is a waypoint; waypoints apply the routes whose parent is a Service that uses them, never routes attached to the waypoint itself'
        : `has class '${gateway.className}', which istiod does not program`;
      return { ...base, gateway, problem: AttachmentProblem.NOT_ISTIO_CLASS, message: `parent Gateway ${ref} ${why}` };
    }
    const candidates = gateway.listeners.filter((l) => (parent.sectionName === undefined || l.name === parent.sectionName)
      && (parent.port === undefined || l.port === parent.port));
    if (candidates.length === 0) {
      const by = [parent.sectionName !== undefined ? `sectionName '${parent.sectionName}'` : '', parent.port !== undefined ? `port ${parent.port}` : '']
        .filter((w) => w).join(' and ');
      return { ...base, gateway, problem: AttachmentProblem.NO_MATCHING_PARENT, message: `Gateway ${ref} has no listener with ${by} (listeners: ${gateway.listeners.map((l) => `${l.name}:${l.port}`).join(', ')})` };
    }
    const hosts = routeHosts(route.hostnames);
    const byHost = candidates.filter((l) => hosts.some((h) => listenerRouteDomain(listenerHost(l), h) !== undefined));
    if (byHost.length === 0) {
      return {
        ...base,
        gateway,
        problem: AttachmentProblem.NO_MATCHING_LISTENER_HOSTNAME,
        message: `no listener of Gateway ${ref}${parent.sectionName ? ` named ${parent.sectionName}` : ''} accepts the hostnames ${hosts.join(', ')} (listener hostnames: ${candidates.map(listenerHost).join(', ')})`,
      };
    }
    const allowed = byHost.filter((l) => this.namespaceAllowed(gateway, l, route.namespace) && kindAllowed(l, route.kind));
    if (allowed.length === 0) {
      return {
        ...base,
        gateway,
        problem: AttachmentProblem.NOT_ALLOWED_BY_LISTENERS,
        message: `the listeners of Gateway ${ref} that accept its hostnames (${byHost.map((l) => l.name).join(', ')}) do not allow a ${route.kind} from namespace ${route.namespace} (allowedRoutes)`,
      };
    }
    return extend(base, { gateway, listeners: allowed });
  }

  /** `allowedRoutes.namespaces.from`: Same (default), All, or Selector over Namespace labels. */
  private namespaceAllowed(gateway: GatewayApiGateway, listener: GatewayApiListener, namespace: string): boolean {
    const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
    if (from === 'All') {
      return true;
    }
    if (from === 'Selector') {
      const selector = listener.allowedRoutes?.namespaces?.selector ?? {};
      const labels = { 'kubernetes.io/metadata.name': namespace, ...(this.index.namespaces.get(namespace)?.labels ?? {}) };
      const expressions: any[] = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
      return labelsSubsetOf(stringRecord(selector.matchLabels), labels) && expressions.every((e) => expressionHolds(e, labels));
    }
    return namespace === gateway.namespace;
  }
}

function expressionHolds(e: any, labels: Record<string, string>): boolean {
  const value = labels[String(e?.key)];
  const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
  switch (e?.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    default: return false;
  }
}

function kindAllowed(listener: GatewayApiListener, kind: string): boolean {
  const kinds: any[] = Array.isArray(listener.allowedRoutes?.kinds) ? listener.allowedRoutes.kinds : [];
  const supported = kindsFor(listener);
  const listed = kinds.some((k) => k?.kind === kind && String(k?.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP);
  return supported.includes(kind) && (kinds.length === 0 || listed);
}

function indexGateway(obj: IndexedObject): GatewayApiGateway {
  const listeners: any[] = Array.isArray(obj.spec.listeners) ? obj.spec.listeners : [];
  return extend(obj, {
    className: String(obj.spec.gatewayClassName ?? ''),
    listeners: listeners.filter((l) => l && typeof l === 'object').map((l) => ({
      name: String(l.name ?? ''),
      hostname: l.hostname ? String(l.hostname) : undefined,
      port: Number(l.port),
      protocol: String(l.protocol ?? ''),
      tlsMode: l.tls ? String(l.tls.mode ?? 'Terminate') : undefined,
      allowedRoutes: l.allowedRoutes,
    })),
  });
}

function indexRoute(obj: IndexedObject, order: number): GatewayApiRoute {
  const parents: any[] = Array.isArray(obj.spec.parentRefs) ? obj.spec.parentRefs : [];
  return extend(obj, {
    hostnames: (Array.isArray(obj.spec.hostnames) ? obj.spec.hostnames : []).map(String),
    rules: Array.isArray(obj.spec.rules) ? obj.spec.rules : [{}],
    parentRefs: parents.filter((p) => p && typeof p === 'object').map((p) => ({
      group: p.group === undefined ? GATEWAY_API_GROUP : String(p.group),
      kind: p.kind === undefined ? 'Gateway' : String(p.kind),
      namespace: p.namespace === undefined ? obj.namespace : String(p.namespace),
      name: String(p.name ?? ''),
      sectionName: p.sectionName === undefined ? undefined : String(p.sectionName),
      port: p.port === undefined ? undefined : Number(p.port),
    })),
    order,
  });
}
