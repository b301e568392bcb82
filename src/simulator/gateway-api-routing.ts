import { defaultHttpRoute, forwardResult } from './http-actions';
import { NormalizedRequest } from './request';
import { DecidingRule, RequestProtocol, RouteDestination, RouteOutcome, RouteResult, RuleKind } from './types';
import { DestinationContext, PortInference } from '../semantics/destinations';
import { resolveBackend, weightedBackends } from '../semantics/gateway-api/backends';
import { filtersOf, mirrorPercentage, modifyHeaders, redirectLocation, rewritePath } from '../semantics/gateway-api/filters';
import {
  GatewayApiGateway, GatewayApiIndex, GatewayApiListener, GatewayApiRoute, ISTIO_GATEWAY_CLASS,
} from '../semantics/gateway-api/gateway-api-index';
import { listenerForSni } from '../semantics/gateway-api/hostnames';
import { gatewayApiMatches } from '../semantics/gateway-api/matches';
import {
  GatewayApiEntry, gatewayApiEntryLocation, gatewayRouteTable, groupEntries, meshRouteGroups, routeHardError, sidecarMeshGroup, waypointMeshEntries,
} from '../semantics/gateway-api/route-tables';
import { isAmbientNamespace, serviceWaypoint } from '../semantics/gateway-api/waypoints';
import { IndexedService, ManifestIndex } from '../semantics/manifest-index';

/**
 * Routing of Gateway API routes as Istio 1.30 programs them (docs/gateway-api-semantics.md §2.5,
 * §3.2, §5.1; the simulator README lists what is modelled): through a Gateway of class `istio`, from a sidecar
 * (GAMMA), and from an ambient caller through the destination Service's waypoint. The rules come from
 * `src/semantics/gateway-api/`; this file turns their answers into a `RouteResult`.
 */

const DOMAINS_LISTED = 10;

/** The rule that decided, in the result's terms. */
function decidingRule(entry: GatewayApiEntry): DecidingRule {
  return {
    resourceKind: entry.route.kind,
    namespace: entry.route.namespace,
    name: entry.route.name,
    kind: entry.route.kind === 'TCPRoute' ? RuleKind.TCP : RuleKind.HTTP,
    ruleIndex: entry.ruleIndex,
    matchIndex: entry.matchIndex,
  };
}

/** A request entering through a Gateway API Gateway: listeners on the port, virtual host, sorted entries. */
export function routeThroughGatewayApi(index: ManifestIndex, gateway: GatewayApiGateway, req: NormalizedRequest): RouteResult {
  const gi = GatewayApiIndex.of(index);
  const notes: string[] = [];
  const ref = `${gateway.namespace}/${gateway.name}`;
  const base = { destinations: [], mirrors: [], notes };
  if (gateway.className !== ISTIO_GATEWAY_CLASS) {
    return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `Gateway ${ref} has class '${gateway.className}'; istiod programs only class ${ISTIO_GATEWAY_CLASS} (waypoints take mesh traffic, not requests through them)` };
  }
  const port = req.port!;
  const onPort = gateway.listeners.filter((l) => l.port === port);
  if (onPort.length === 0) {
    return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `Gateway ${ref} has no listener on port ${port} (ports: ${[...new Set(gateway.listeners.map((l) => l.port))].join(', ')}); the connection is refused` };
  }
  const tcp = onPort.filter((l) => l.protocol === 'TCP');
  if (tcp.length > 0 && (req.protocol === RequestProtocol.TCP || onPort.every((l) => l.protocol === 'TCP'))) {
    return tcpThroughGateway(gi, gateway, tcp[0], notes);
  }
  const https = onPort.filter((l) => l.protocol === 'HTTPS');
  const http = onPort.filter((l) => l.protocol === 'HTTP');
  let listeners = http;
  let scheme = req.scheme ?? 'http';
  if (https.length > 0 && (http.length === 0 || req.scheme === 'https')) {
    const chosen = listenerForSni(https, req.lookupHost);
    if (!chosen) {
      return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `no HTTPS listener of Gateway ${ref} on port ${port} accepts SNI ${req.lookupHost}; the TLS handshake fails` };
    }
    listeners = [chosen];
    scheme = req.scheme ?? 'https';
  }
  if (listeners.length === 0) {
    return { ...base, outcome: RouteOutcome.UNSUPPORTED, statusCode: 0, reason: `the listeners of Gateway ${ref} on port ${port} speak ${onPort.map((l) => l.protocol).join(', ')}, which the simulator does not model` };
  }
  const table = gatewayRouteTable(gi, gateway, listeners);
  notes.push(...table.notes);
  const vhost = table.select(req.lookupHost);
  if (!vhost) {
    const domains = table.virtualHosts.map((v) => v.domain);
    const known = domains.length === 0 ? 'none: no route is attached' : domains.length > DOMAINS_LISTED ? `${domains.slice(0, DOMAINS_LISTED).join(', ')} and ${domains.length - DOMAINS_LISTED} more` : domains.join(', ');
    return { ...base, outcome: RouteOutcome.NO_ROUTE, statusCode: 404, reason: `host ${req.lookupHost} matches no route hostname on the listeners ${listeners.map((l) => l.name).join(', ')} of Gateway ${ref} (virtual hosts: ${known}) (404 NR)` };
  }
  const httpReq: NormalizedRequest = { ...req, scheme };
  const ctx: DestinationContext = {
    index, clientNamespace: gateway.namespace, listenerPort: port, portInference: PortInference.SINGLE_SERVICE_PORT, notes,
  };
  return routeEntries(gi, vhost.entries, httpReq, ctx, true,
    `no rule attached to the virtual host ${vhost.domain} of Gateway ${ref} (port ${port}) matches ${req.method} ${req.path} (404 NR)`);
}

/** Mesh HTTP routing through Service-parented routes; undefined when no Gateway API route applies. */
export function routeMeshGatewayApi(index: ManifestIndex, callerNamespace: string, svc: IndexedService, port: number,
  req: NormalizedRequest, notes: string[]): RouteResult | undefined {
  if (index.gatewayApiObjects.length === 0) {
    return undefined;
  }
  const gi = GatewayApiIndex.of(index);
  const ctx: DestinationContext = { index, clientNamespace: callerNamespace, listenerPort: port, portInference: PortInference.LISTENER_PORT, notes };
  if (isAmbientNamespace(index, callerNamespace)) {
    const waypoint = serviceWaypoint(gi, svc);
    const routed = meshRouteGroups(gi, svc, 'http').length > 0;
    if (!waypoint || waypoint.problem) {
      if (!routed) {
        return undefined;
      }
      const why = waypoint?.problem ?? `service ${svc.fqdn} uses no waypoint (label istio.io/use-waypoint on the Service or its Namespace)`;
      return defaultHttpRoute(svc, { ...req, port }, ctx,
        `the caller is ambient (namespace ${callerNamespace}) and ${why}, so its HTTPRoutes are not applied; ztunnel sends the request to all endpoints of the service (docs/gateway-api-semantics.md §5.1)`);
    }
    if (waypoint.assumption) {
      notes.push(waypoint.assumption);
    }
    notes.push(`the caller is ambient: waypoint ${waypoint.namespace}/${waypoint.name} applies the routes of ${svc.fqdn} (the Host header does not select them)`);
    const entries = waypointMeshEntries(gi, svc, port, waypoint.namespace, notes);
    if (entries.length === 0) {
      return defaultHttpRoute(svc, { ...req, port }, ctx, `waypoint ${waypoint.namespace}/${waypoint.name} has no route for ${svc.fqdn}:${port}; default routing to all endpoints of the service`);
    }
    return routeEntries(gi, entries, req, ctx, false, `no rule of the routes of ${svc.fqdn} at waypoint ${waypoint.namespace}/${waypoint.name} matches ${req.method} ${req.path} (404 NR)`);
  }
  const group = sidecarMeshGroup(gi, svc, port, callerNamespace, 'http');
  if (!group) {
    return undefined;
  }
  const oldest = group.routes[0];
  const vs = index.meshVirtualServicesForHost(svc.fqdn)[0];
  if (vs) {
    const vsTime = vs.creationTimestamp ? Date.parse(vs.creationTimestamp) : 0;
    const routeTime = oldest.creationTimestamp ? Date.parse(oldest.creationTimestamp) : 0;
    notes.push(`both VirtualService ${vs.namespace}/${vs.name} and ${oldest.kind} ${oldest.namespace}/${oldest.name} route ${svc.fqdn}; sidecars keep one of them, and mixing the two APIs is undefined in ambient mode`);
    if (group.namespace !== callerNamespace && vsTime < routeTime) {
      return undefined;
    }
  }
  const entries = groupEntries(group, notes);
  if (entries.length === 0) {
    return undefined;
  }
  const kind = group.namespace === svc.namespace ? 'producer' : 'consumer';
  return routeEntries(gi, entries, req, ctx, false,
    `no rule of the ${kind} routes of ${svc.fqdn} in namespace ${group.namespace} matches ${req.method} ${req.path} (404 NR)`);
}

/** Mesh TCP routing through Service-parented TCPRoutes; undefined when none applies. */
export function routeMeshTcpGatewayApi(index: ManifestIndex, callerNamespace: string, svc: IndexedService, port: number,
  notes: string[]): RouteResult | undefined {
  if (index.gatewayApiObjects.length === 0) {
    return undefined;
  }
  const gi = GatewayApiIndex.of(index);
  const group = sidecarMeshGroup(gi, svc, port, callerNamespace, 'tcp');
  const route = group?.routes.find((r) => !routeHardError(r) && r.rules.length > 0);
  return route ? tcpForward(gi, route, port, index, callerNamespace, false, notes) : undefined;
}

function tcpThroughGateway(gi: GatewayApiIndex, gateway: GatewayApiGateway, listener: GatewayApiListener, notes: string[]): RouteResult {
  const attached = gi.attachedToListener(gateway, listener).filter((a) => a.route.kind === 'TCPRoute');
  if (attached.length > 1) {
    notes.push(`${attached.length} TCPRoutes attach to listener ${listener.name}; only the oldest, ${attached[0].route.namespace}/${attached[0].route.name}, is used`);
  }
  if (attached.length === 0) {
    return {
      outcome: RouteOutcome.NO_ROUTE,
      statusCode: 0,
      destinations: [],
      mirrors: [],
      notes,
      reason: `no TCPRoute is attached to the TCP listener ${listener.name} of Gateway ${gateway.namespace}/${gateway.name}; the connection is closed`,
    };
  }
  return tcpForward(gi, attached[0].route, listener.port, gi.index, gateway.namespace, true, notes);
}

function tcpForward(gi: GatewayApiIndex, route: GatewayApiRoute, port: number, index: ManifestIndex, clientNamespace: string,
  enforceGrant: boolean, notes: string[]): RouteResult {
  const entry: GatewayApiEntry = { route, ruleIndex: 0, rule: route.rules[0] ?? {}, catchAll: true };
  const ctx: DestinationContext = { index, clientNamespace, listenerPort: port, portInference: PortInference.SINGLE_SERVICE_PORT, notes };
  const result = forwardEntry(gi, entry, undefined, ctx, enforceGrant);
  // TCP has no HTTP status: a broken backend resets the connection
  return { ...result, statusCode: 0, path: undefined, authority: undefined };
}

/** The first entry matching the request decides; none is 404. */
function routeEntries(gi: GatewayApiIndex, entries: readonly GatewayApiEntry[], req: NormalizedRequest, ctx: DestinationContext,
  enforceGrant: boolean, noMatch: string): RouteResult {
  const entry = entries.find((e) => gatewayApiMatches(e.match, req, gatewayApiEntryLocation(e)));
  if (!entry) {
    return { outcome: RouteOutcome.NO_ROUTE, statusCode: 404, destinations: [], mirrors: [], notes: ctx.notes, reason: noMatch };
  }
  return forwardEntry(gi, entry, req, ctx, enforceGrant);
}

/** Redirect, direct 404/500, or forward with filters (docs/gateway-api-semantics.md §3, §4). */
function forwardEntry(gi: GatewayApiIndex, entry: GatewayApiEntry, req: NormalizedRequest | undefined, ctx: DestinationContext,
  enforceGrant: boolean): RouteResult {
  const rule = entry.rule;
  const where = gatewayApiEntryLocation(entry);
  const base = { destinations: [], mirrors: [], rule: decidingRule(entry), notes: ctx.notes };
  const matchedPrefix = entry.match?.path?.type === 'PathPrefix' ? entry.match.path.value : undefined;
  const redirect = filtersOf(rule, 'RequestRedirect')[0]?.requestRedirect;
  if (redirect && req) {
    const status = Number(redirect.statusCode ?? 302);
    const location = redirectLocation(redirect, matchedPrefix, req);
    return { ...base, outcome: RouteOutcome.REDIRECT, statusCode: status, redirectLocation: location, reason: `${where} redirects (${status}) to ${location}` };
  }
  const refs: any[] = Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
  if (refs.length === 0) {
    return { ...base, outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: 404, reason: `${where} has no backendRefs, so istiod answers 404 directly` };
  }
  const { kept, allZero } = weightedBackends(refs);
  if (allZero) {
    return { ...base, outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: 500, reason: `every backendRef of ${where} has weight 0, so istiod answers 500 directly` };
  }
  const destinations = kept.map((b) => toDestination(gi, entry, b.ref, b.percentage, enforceGrant, ctx.notes));
  const mirrors = filtersOf(rule, 'RequestMirror').flatMap((f) => {
    const pct = mirrorPercentage(f.requestMirror);
    const mirror = toDestination(gi, entry, f.requestMirror?.backendRef, pct, enforceGrant, ctx.notes);
    if (!mirror.healthy && mirror.problem?.endsWith('(500)')) {
      // an HTTPRoute keeps working without a mirror that does not resolve (§3.5)
      ctx.notes.push(`${where}: mirror dropped: ${mirror.problem}`);
      return [];
    }
    return pct > 0 ? [mirror] : [];
  });
  let path: string | undefined;
  let authority: string | undefined;
  let requestHeaders: Record<string, string> | undefined;
  if (req) {
    const modifiers = filtersOf(rule, 'RequestHeaderModifier');
    const modified = modifyHeaders(modifiers, req.headers, req.authority);
    authority = modified.authority;
    if (modifiers.length > 0) {
      requestHeaders = Object.fromEntries([...modified.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const rewrite = filtersOf(rule, 'URLRewrite')[0]?.urlRewrite;
    path = rewrite?.path ? rewritePath(rewrite.path, matchedPrefix, req) : req.path;
    if (rewrite?.hostname) {
      authority = String(rewrite.hostname);
    }
  }
  const result = forwardResult(destinations, mirrors, { ...base, path, authority, requestHeaders }, RouteOutcome.ROUTED);
  if (result.outcome === RouteOutcome.NO_HEALTHY_UPSTREAM && destinations.some((d) => d.problem?.endsWith('(500)'))) {
    return { ...result, outcome: RouteOutcome.INVALID_BACKEND, statusCode: 500 };
  }
  return result;
}

function toDestination(gi: GatewayApiIndex, entry: GatewayApiEntry, ref: any, percentage: number, enforceGrant: boolean,
  notes: string[]): RouteDestination {
  const b = resolveBackend(gi, entry.route, ref ?? {}, enforceGrant);
  if (b.note) {
    notes.push(b.note);
  }
  return b.status === undefined
    ? { host: b.host, port: b.port, percentage, healthy: true }
    : { host: b.host, port: b.port, percentage, healthy: false, problem: b.problem };
}
