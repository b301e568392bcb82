import { decidingRule, forwardDestinations, forwardResult } from './http-actions';
import { RouteOutcome, RouteResult } from './types';
import { DestinationContext, resolveDestination } from '../semantics/destinations';
import { GatewayServer, GatewayTopology, GatewayWorkload } from '../semantics/gateways';
import { IndexedService, ManifestIndex } from '../semantics/manifest-index';
import { ProxyIdentity } from '../semantics/match';
import { RouteEntry } from '../semantics/routes';
import { sidecarTcpRoute } from '../semantics/sidecars';

/**
 * Sidecar TCP routing: the first mesh VirtualService for the service with a kept tcp match decides;
 * otherwise the connection goes to the whole service.
 */
export function routeTcpFromSidecar(index: ManifestIndex, svc: IndexedService, proxy: ProxyIdentity, ctx: DestinationContext): RouteResult {
  const entry = sidecarTcpRoute(index, proxy, svc, ctx.notes);
  if (entry) {
    return tcpForward(entry, ctx);
  }
  const dest = resolveDestination({ host: svc.fqdn, port: { number: proxy.port } }, 100, svc.namespace, ctx);
  return tcpShape(forwardResult([dest], [], {
    notes: ctx.notes,
    reason: `no VirtualService tcp rule applies to ${svc.fqdn}:${proxy.port} for this pod; default routing to all endpoints of the service`,
  }, RouteOutcome.DEFAULT_ROUTE));
}

/**
 * Gateway TCP routing: the first bound VirtualService with a tcp rule matching the server port and
 * gateway wins for the whole server.
 */
export function routeTcpThroughGateway(topology: GatewayTopology, workload: GatewayWorkload, server: GatewayServer,
  ctx: DestinationContext): RouteResult {
  const entry = topology.tcpRoute(workload, server, ctx.notes);
  if (entry) {
    return tcpForward(entry, ctx);
  }
  return {
    outcome: RouteOutcome.NO_ROUTE,
    statusCode: 0,
    destinations: [],
    mirrors: [],
    notes: ctx.notes,
    reason: `no VirtualService tcp rule is bound to the ${server.protocol} server of gateway ${server.gateway} on port ${server.port}; the connection is closed`,
  };
}

function tcpForward(entry: RouteEntry, ctx: DestinationContext): RouteResult {
  return tcpShape(forwardResult(forwardDestinations(entry, ctx), [], { notes: ctx.notes, rule: decidingRule(entry) }, RouteOutcome.ROUTED));
}

/** TCP has no HTTP status: a broken upstream resets the connection. */
function tcpShape(result: RouteResult): RouteResult {
  return { ...result, statusCode: 0 };
}
