import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  claimConflicts, ClaimConflict, ClaimConflictKind, GatewayHostClaim, GatewayRouteEntry, GatewayTopology, gatewayHostClaims,
  GatewayWorkload, referencedGatewayClaims, virtualServicesThatMayMeet,
} from '../semantics/gateways';
import { ManifestIndex } from '../semantics/manifest-index';
import { formatLabels, hostCovers, hostIntersection, MESH_GATEWAY, parseServerHost } from '../semantics/names';

/**
 * Gateway host sharing across the whole app, checked once per synthesis: the Istio Gateways and
 * VirtualServices of every release (and hand-written ones) are given to the semantics core as
 * manifests, and every pair of claims the core says cannot share a gateway workload and port
 * (`claimConflicts`: docs/istio-semantics.md §1.8), every server istiod would drop, and every host a
 * release binds to a Gateway of the app that does not serve it is an error naming both construct
 * paths. Linear in the app: one walk over its constructs, one index, one pass over the claims; the
 * index holds only the VirtualServices that may meet another (`virtualServicesThatMayMeet`).
 */

/** A gateway-side object a release wrote, with what the check needs to read it without resolving it. */
export interface GatewayObjectSource {
  /** Construct path of the release (or construct) that declared it. */
  readonly owner: string;
  /** The spec as the object will be written. */
  readonly spec: () => any;
  /** For VirtualServices: each http rule in words, in rule order. */
  readonly rules?: () => string[];
}

const sources = new WeakMap<ApiObject, GatewayObjectSource>();
const checkedRoots = new WeakSet<IConstruct>();
/** Errors of one synthesis (cdk8s validates the app once for the app and once per chart). */
const resultsByRoot = new WeakMap<IConstruct, string[]>();

const ISTIO_GROUP = 'networking.istio.io/';

/** Records a Gateway or VirtualService a release wrote, so the check reads its spec and names its owner. */
export function registerGatewayObject(object: ApiObject, source: GatewayObjectSource): void {
  sources.set(object, source);
}

/** Installs the app-wide check on the root of `scope`, once per app. */
export function requireGatewayHostSharing(scope: IConstruct): void {
  const root = scope.node.root;
  if (checkedRoots.has(root)) {
    return;
  }
  checkedRoots.add(root);
  root.node.addValidation({ validate: () => cachedErrors(root) });
}

function cachedErrors(root: IConstruct): string[] {
  const cached = resultsByRoot.get(root);
  if (cached) {
    return cached;
  }
  const errors = hostSharingErrors(root);
  resultsByRoot.set(root, errors);
  queueMicrotask(() => resultsByRoot.delete(root));
  return errors;
}

/** What the check knows about each indexed object: its owner and, for VirtualServices, its rules in words. */
interface Origin {
  readonly owner: string;
  readonly rules?: () => string[];
  /** Registered by a release (its hosts are declared to be served). */
  readonly release: boolean;
}

function hostSharingErrors(root: IConstruct): string[] {
  const manifests: any[] = [];
  const origins = new Map<string, Origin>();
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof ApiObject) || !construct.apiVersion.startsWith(ISTIO_GROUP)) {
      continue;
    }
    const kind = construct.kind;
    if (kind !== 'Gateway' && kind !== 'VirtualService') {
      continue;
    }
    const namespace = construct.metadata.namespace ?? 'default';
    const source = sources.get(construct);
    const spec = source ? source.spec() : construct.toJson().spec;
    if (kind === 'VirtualService' && !boundToGateway(spec, namespace)) {
      continue;
    }
    const key = `${kind}|${namespace}/${construct.name}`;
    if (origins.has(key)) {
      // a second object with this identity: the duplicate-object check reports it
      continue;
    }
    origins.set(key, { owner: source?.owner ?? construct.node.path, rules: source?.rules, release: source !== undefined });
    manifests.push({ apiVersion: construct.apiVersion, kind, metadata: { name: construct.name, namespace }, spec });
  }
  const gateways = manifests.filter((m) => m.kind === 'Gateway');
  const virtualServices = virtualServicesThatMayMeet(manifests.filter((m) => m.kind === 'VirtualService'),
    new Set(gateways.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)));
  if (gateways.length + virtualServices.length === 0) {
    return [];
  }
  const index = new ManifestIndex([...gateways, ...virtualServices]);
  const words = new Words(origins);
  const claims = [...gatewayHostClaims(index), ...referencedGatewayClaims(index)];
  const errors = claimConflicts(claims).map((c) => words.conflict(c));
  errors.push(...droppedServerErrors(index, words));
  errors.push(...unservedHostErrors(index, origins, words));
  return [...new Set(errors)];
}

function boundToGateway(spec: any, namespace: string): boolean {
  const gateways: any[] = Array.isArray(spec?.gateways) ? spec.gateways : [];
  return gateways.some((g) => String(g) !== MESH_GATEWAY && String(g) !== `${namespace}/${MESH_GATEWAY}`);
}

/** Servers istiod leaves out when it merges the Gateways of one workload (`model/gateway.go` `mergeGateways`). */
function droppedServerErrors(index: ManifestIndex, words: Words): string[] {
  const topology = GatewayTopology.of(index);
  const errors: string[] = [];
  for (const workload of topology.workloads()) {
    for (const { server, heldBy, reason } of topology.merge(workload).skipped) {
      const other = heldBy ? ` and ${words.gateway(heldBy.gateway)}` : '';
      errors.push(`${words.gateway(server.gateway)}${other} both serve port ${server.port} on ${words.workload(workload)}: istiod keeps the older Gateway's server and drops the other (${reason}), so the routes bound to the dropped one get no request on that port; `
        + 'serve the host from one Gateway (create it in one release and bind the others with GatewayBinding.fromReference), or select other gateway pods');
    }
  }
  return errors;
}

/** Hosts a release binds to a Gateway of the app whose servers do not serve them: nothing routes them there. */
function unservedHostErrors(index: ManifestIndex, origins: Map<string, Origin>, words: Words): string[] {
  const errors: string[] = [];
  for (const vs of index.virtualServices) {
    const origin = origins.get(`VirtualService|${vs.namespace}/${vs.name}`);
    if (!origin?.release) {
      continue;
    }
    for (const ref of vs.gateways) {
      const gateway = index.gateways.get(ref);
      if (!gateway) {
        continue;
      }
      const serverHosts = (Array.isArray(gateway.spec.servers) ? gateway.spec.servers : [])
        .flatMap((s: any) => (Array.isArray(s?.hosts) ? s.hosts : []).map((h: any) => parseServerHost(String(h), gateway.namespace)))
        .filter((h: { namespace: string }) => h.namespace === '*' || h.namespace === vs.namespace);
      for (const host of vs.hosts) {
        if (!serverHosts.some((h: { host: string }) => hostIntersection(h.host, host) !== undefined)) {
          const served = serverHosts.map((h: { host: string }) => `'${h.host}'`).join(', ') || 'no host for this namespace';
          errors.push(`${origin.owner}: host '${host}' is bound to ${words.gateway(ref)}, whose servers serve ${served}: the gateway never routes '${host}' to ${origin.owner}; add the host to that Gateway's servers, or bind the release to a Gateway that serves it`);
        }
      }
    }
  }
  return errors;
}

/** Conflicts in words: construct paths, host, paths and gateway pods. */
class Words {
  constructor(private readonly origins: Map<string, Origin>) {}

  public conflict(c: ClaimConflict): string {
    const a = this.owner(c.first);
    const b = this.owner(c.second);
    const where = this.place(c.first);
    const fix = 'give the releases disjoint pathPrefix values (at most one of them without one, taking the rest of the host) and keep each release\'s routes inside its own prefix, or give each release its own host';
    switch (c.kind) {
      case ClaimConflictKind.BOTH_CATCH_ALL:
        return `${a} and ${b} both take every remaining path of host '${c.first.domain}' on ${where}: istiod merges their VirtualServices into one virtual host and moves catch-alls last in creation order, so only the older one's catch-all ever matches and the other release loses those requests; ${fix}`;
      case ClaimConflictKind.OVERLAPPING_ROUTES: {
        const [x, y] = c.routes!;
        return `${a} (${this.rule(x)}) and ${b} (${this.rule(y)}) can both match one request for host '${c.first.domain}' on ${where}: istiod concatenates their VirtualServices in creation order, which Istio leaves undefined (name order for objects applied together), so which release gets it depends on that order; ${fix}`;
      }
      case ClaimConflictKind.COVERED_HOST: {
        const [wide, narrow] = hostCovers(c.first.domain, c.second.domain) ? [c.first, c.second] : [c.second, c.first];
        return `${this.owner(wide)} (host '${wide.domain}', ${this.paths(wide)}) and ${this.owner(narrow)} (host '${narrow.domain}', ${this.paths(narrow)}) overlap on ${where}: Envoy sends every request for '${narrow.domain}' to that more specific virtual host and never merges the two, so ${this.owner(wide)} gets no request for '${narrow.domain}' on any path; give the releases hosts that do not overlap, or put both on the same host with disjoint pathPrefix values`;
      }
      default:
        return `${a} (host '${c.first.domain}') and ${b} (host '${c.second.domain}') are served by different HTTPS servers on ${where}: the TLS server name picks one server per connection, so one release gets no request for the hosts they share; serve both hosts from one Gateway server (create the Gateway in one release and bind the other with GatewayBinding.fromReference)`;
    }
  }

  public gateway(ref: string): string {
    const origin = this.origins.get(`Gateway|${ref}`);
    return origin ? `gateway ${ref} (${origin.owner})` : `gateway ${ref}`;
  }

  public workload(workload: GatewayWorkload): string {
    if (workload.key.startsWith('external:')) {
      return `${workload.key.slice('external:'.length)} (a Gateway outside the app: releases bound to it are compared with each other)`;
    }
    return Object.keys(workload.labels).length > 0 ? `the gateway pods labelled ${formatLabels(workload.labels)}` : 'every gateway pod (a Gateway without selector)';
  }

  private place(claim: GatewayHostClaim): string {
    if (claim.workload.key.startsWith('external:')) {
      return `gateway ${this.workload(claim.workload)}`;
    }
    return `port ${claim.port} of ${this.workload(claim.workload)}`;
  }

  private owner(claim: GatewayHostClaim): string {
    const vs = claim.virtualService;
    return this.origins.get(`VirtualService|${vs.namespace}/${vs.name}`)?.owner ?? `VirtualService ${vs.namespace}/${vs.name}`;
  }

  /** The paths a claim takes, from its routes: `/api` and paths under it, or every path. */
  private paths(claim: GatewayHostClaim): string {
    const texts = [...new Set(claim.routes.map((r) => pathWords(r.match)))];
    return texts.includes('every path') ? 'every path' : texts.join(', ');
  }

  private rule(route: GatewayRouteEntry): string {
    const vs = route.vs;
    const rules = this.origins.get(`VirtualService|${vs.namespace}/${vs.name}`)?.rules?.();
    const name = rules?.[route.ruleIndex] !== undefined ? `route '${rules[route.ruleIndex]}'` : `VirtualService ${vs.namespace}/${vs.name} http[${route.ruleIndex}]`;
    return `${name} on ${pathWords(route.match)}`;
  }
}

/** The path condition of a match in words. */
function pathWords(match: any): string {
  const uri = match?.uri;
  if (uri?.exact !== undefined) {
    return `path ${uri.exact}`;
  }
  if (uri?.prefix !== undefined) {
    return uri.prefix === '/' ? 'every path' : `paths starting with ${uri.prefix}`;
  }
  if (uri?.regex !== undefined) {
    return `paths matching ${uri.regex}`;
  }
  return 'every path';
}
