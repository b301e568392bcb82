import { IndexedVirtualService } from './manifest-index';
import { isCatchAllMatch, keptForProxy, ProxyIdentity, selectsCallers } from './match';
import { formatLabels, labelsSubsetOf, MESH_GATEWAY, resolveGatewayName } from './names';

/**
 * Route lists per VirtualService and proxy, as `pilot/pkg/networking/core/route/route.go`
 * `BuildHTTPRoutesForVirtualService` builds them for gateways and sidecars alike, and the TCP rule
 * selection of `tls.go` `matchTCP` (sidecars) and `gateway.go` `l4SingleMatch` (gateways).
 */

/** One Envoy route: one match entry of one rule, or a whole rule without `match`. */
export interface RouteEntry {
  readonly vs: IndexedVirtualService;
  readonly kind: 'http' | 'tcp';
  readonly ruleIndex: number;
  /** Undefined for a rule without `match`. */
  readonly matchIndex?: number;
  readonly rule: any;
  readonly match?: any;
  /** Envoy sees a catch-all route (`IsCatchAllRoute`); on gateways such routes move last. */
  readonly catchAll: boolean;
  /**
   * Only for route lists built for any mesh caller: the entry exists only for callers its
   * `sourceLabels` / `sourceNamespace` / `port` select.
   */
  readonly callerDependent: boolean;
}

/**
 * Who a route list is built for: a concrete proxy (a gateway pod or a calling pod on a port), or,
 * for a reviewer's overview, any mesh caller (static selectors then stay as conditions).
 */
export type RouteListProxy = ProxyIdentity | AnyMeshCaller;

/** Every sidecar in the mesh at once, on any port. */
export interface AnyMeshCaller {
  readonly anyCaller: true;
}

/** The route list view for every mesh caller. */
export const ANY_MESH_CALLER: AnyMeshCaller = { anyCaller: true };

function isAnyCaller(proxy: RouteListProxy): proxy is AnyMeshCaller {
  return (proxy as AnyMeshCaller).anyCaller === true;
}

/** `ns/name http[i]` for notes. */
export function ruleRef(vs: IndexedVirtualService, kind: string, ruleIndex: number): string {
  return `${vs.namespace}/${vs.name} ${kind}[${ruleIndex}]`;
}

/** `virtualservice ns/name http[i].match[j].field` for messages. */
export function entryLocation(entry: RouteEntry, field?: string): string {
  const m = entry.matchIndex === undefined ? '' : `.match[${entry.matchIndex}]`;
  return `virtualservice ${entry.vs.namespace}/${entry.vs.name} ${entry.kind}[${entry.ruleIndex}]${m}${field ? `.${field}` : ''}`;
}

/**
 * Why an HTTP match entry does not exist for the proxy, or undefined when it is kept.
 */
function httpDropReason(match: any, vs: IndexedVirtualService, proxy: RouteListProxy): string | undefined {
  const gateways: string[] = (Array.isArray(match.gateways) ? match.gateways : []).map((g: any) => resolveGatewayName(String(g), vs.namespace));
  if (isAnyCaller(proxy)) {
    return gateways.length > 0 && !gateways.includes(MESH_GATEWAY) ? `applies only to ${gateways.join(', ')}` : undefined;
  }
  if (keptForProxy(match, vs.namespace, proxy)) {
    return undefined;
  }
  if (match.port !== undefined && proxy.port !== 0 && Number(match.port) !== proxy.port) {
    return `applies only to port ${match.port}`;
  }
  if (gateways.length > 0) {
    return `applies only to ${gateways.join(', ')}`;
  }
  const isGateway = !proxy.gatewayNames.has(MESH_GATEWAY);
  return isGateway
    ? `selects callers (${selectorWords(match)}), which the gateway pod is not, so the gateway skips it`
    : `selects callers (${selectorWords(match)}), which this caller is not`;
}

function selectorWords(match: any): string {
  const parts = Object.keys(match.sourceLabels ?? {}).map((k) => `${k}=${match.sourceLabels[k]}`);
  if (match.sourceNamespace) {
    parts.push(`namespace ${match.sourceNamespace}`);
  }
  return parts.join(', ');
}

/**
 * The HTTP routes istiod emits for one VirtualService on one proxy: match entries failing the static
 * filters are dropped, and nothing after the first catch-all is emitted. For any mesh caller, an
 * entry that selects callers stays (as a condition) and does not end the list. Dropped entries and
 * cut rules are explained in `notes` when given.
 */
export function httpRoutes(vs: IndexedVirtualService, proxy: RouteListProxy, notes?: string[]): RouteEntry[] {
  const out: RouteEntry[] = [];
  const rules: any[] = Array.isArray(vs.spec.http) ? vs.spec.http : [];
  const anyCaller = isAnyCaller(proxy);
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] ?? {};
    const matches: any[] = Array.isArray(rule.match) ? rule.match : [];
    let ends = false;
    if (matches.length === 0) {
      out.push({ vs, kind: 'http', ruleIndex, rule, catchAll: true, callerDependent: false });
      ends = true;
    }
    for (let matchIndex = 0; matchIndex < matches.length && !ends; matchIndex++) {
      const match = matches[matchIndex] ?? {};
      const dropped = httpDropReason(match, vs, proxy);
      if (dropped) {
        notes?.push(`${ruleRef(vs, 'http', ruleIndex)} ${dropped}`);
        continue;
      }
      const catchAll = isCatchAllMatch(match);
      const callerDependent = anyCaller && (selectsCallers(match) || match.port !== undefined);
      out.push({ vs, kind: 'http', ruleIndex, matchIndex, rule, match, catchAll, callerDependent });
      ends = catchAll && !callerDependent;
    }
    if (ends) {
      const later = rules.length - ruleIndex - 1;
      if (later > 0) {
        notes?.push(`${ruleRef(vs, 'http', ruleIndex)} matches every request, so the ${later} rule${later > 1 ? 's' : ''} after it never appl${later > 1 ? 'y' : 'ies'}`);
      }
      break;
    }
  }
  return out;
}

/**
 * The TCP match entries a proxy keeps, in order; the first one decides (no runtime condition is left
 * on TCP). Sidecars require gateways AND sourceLabels AND port AND sourceNamespace (`tls.go`
 * `matchTCP`); gateways evaluate only `port` and `gateways` (`gateway.go` `l4SingleMatch`).
 * `destinationSubnets` cannot be judged offline: such entries are skipped with a note.
 */
export function tcpRoutes(vs: IndexedVirtualService, proxy: RouteListProxy, notes?: string[]): RouteEntry[] {
  const out: RouteEntry[] = [];
  const rules: any[] = Array.isArray(vs.spec.tcp) ? vs.spec.tcp : [];
  const anyCaller = isAnyCaller(proxy);
  const atGateway = !anyCaller && !proxy.gatewayNames.has(MESH_GATEWAY);
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] ?? {};
    const matches: any[] = Array.isArray(rule.match) ? rule.match : [];
    if (matches.length === 0) {
      out.push({ vs, kind: 'tcp', ruleIndex, rule, catchAll: true, callerDependent: false });
      continue;
    }
    for (let matchIndex = 0; matchIndex < matches.length; matchIndex++) {
      const m = matches[matchIndex] ?? {};
      if (Array.isArray(m.destinationSubnets) && m.destinationSubnets.length > 0 && !anyCaller) {
        notes?.push(`${ruleRef(vs, 'tcp', ruleIndex)}.match[${matchIndex}] uses destinationSubnets, which is not modelled; skipped`);
        continue;
      }
      const gateways: string[] = (Array.isArray(m.gateways) ? m.gateways : []).map((g: any) => resolveGatewayName(String(g), vs.namespace));
      if (anyCaller) {
        if (gateways.length > 0 && !gateways.includes(MESH_GATEWAY)) {
          notes?.push(`${ruleRef(vs, 'tcp', ruleIndex)} applies only to ${gateways.join(', ')}`);
          continue;
        }
        out.push({ vs, kind: 'tcp', ruleIndex, matchIndex, rule, match: m, catchAll: false, callerDependent: true });
        continue;
      }
      const gatewayOk = gateways.length === 0 || gateways.some((g) => proxy.gatewayNames.has(g));
      const portOk = m.port === undefined || proxy.port === 0 || Number(m.port) === proxy.port;
      const callerOk = atGateway || (labelsSubsetOf(m.sourceLabels, proxy.labels) && (!m.sourceNamespace || m.sourceNamespace === proxy.namespace));
      if (gatewayOk && portOk && callerOk) {
        out.push({ vs, kind: 'tcp', ruleIndex, matchIndex, rule, match: m, catchAll: false, callerDependent: false });
      } else if (!gatewayOk) {
        notes?.push(`${ruleRef(vs, 'tcp', ruleIndex)} applies only to ${gateways.join(', ')}`);
      } else if (!portOk) {
        notes?.push(`${ruleRef(vs, 'tcp', ruleIndex)} applies only to port ${m.port}`);
      } else {
        notes?.push(`${ruleRef(vs, 'tcp', ruleIndex)} selects callers (${formatLabels(m.sourceLabels ?? {})}${m.sourceNamespace ? `, namespace ${m.sourceNamespace}` : ''}), which this caller is not`);
      }
    }
  }
  return out;
}
