import { applyHttpAction } from './http-actions';
import { NormalizedRequest } from './request';
import { routeTcpThroughGateway } from './tcp-routing';
import { RequestProtocol, RouteOutcome, RouteResult, SimulatedRequest } from './types';
import { DestinationContext, PortInference } from '../semantics/destinations';
import { GatewayRouteTable, GatewayTopology, GatewayWorkload, isPassthrough, serverForSni } from '../semantics/gateways';
import { ManifestIndex } from '../semantics/manifest-index';
import { assertValidRegexes, requestMatches } from '../semantics/match';
import { hostCovers } from '../semantics/names';
import { isHttpServer } from '../semantics/protocols';
import { entryLocation } from '../semantics/routes';

/** How many virtual host domains a 404 reason lists before abbreviating. */
const DOMAINS_LISTED = 10;

/**
 * Routes a request entering through a Gateway: it arrives at the pods that Gateway selects, whose
 * listeners carry the merged servers of every Gateway selecting those pods.
 */
export function routeThroughGateway(index: ManifestIndex, request: SimulatedRequest, req: NormalizedRequest): RouteResult {
  const notes: string[] = [];
  const ref = String(request.gateway);
  index.gateway(ref);
  const topology = GatewayTopology.of(index);
  const workload = gatewayWorkload(topology, ref, request, notes);
  const port = req.port;
  if (port === undefined) {
    throw new Error(`a ${req.protocol.toLowerCase()} request through gateway '${ref}' needs a port (one of the gateway's server ports)`);
  }
  const merged = topology.merge(workload);
  if (merged.gateways.length > 1) {
    notes.push(`${merged.gateways.length} Gateways select these pods and share their listeners: ${merged.gateways.join(', ')}`);
  }
  for (const s of merged.skipped.filter((k) => k.server.port === port)) {
    notes.push(`istiod skips server ${s.server.serverIndex} of gateway ${s.server.gateway}: ${s.reason}`);
  }
  const base = { destinations: [], mirrors: [], notes };
  const mp = merged.ports.get(port);
  if (!mp) {
    return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `no Gateway selecting the pods of gateway ${ref} (${workload.description}) has a server on port ${port}; the connection is refused` };
  }
  const own = [...mp.httpServers, ...mp.tlsServers, ...(mp.tcpServer ? [mp.tcpServer] : [])];
  if (!own.some((s) => s.gateway === ref)) {
    notes.push(`gateway ${ref} has no server on port ${port} of these pods; the servers of ${[...new Set(own.map((s) => s.gateway))].join(', ')} answer`);
  }
  const ctx: DestinationContext = {
    index, clientNamespace: workload.namespace, listenerPort: port, portInference: PortInference.SINGLE_SERVICE_PORT, notes,
  };
  const useTls = mp.tlsServers.length > 0 && (mp.plainProtocol === undefined || req.scheme === 'https');
  let table: GatewayRouteTable;
  let scheme = req.scheme ?? 'http';
  if (useTls) {
    // the TLS filter chain is chosen by SNI, which we take to be the request host
    const server = serverForSni(mp.tlsServers, req.lookupHost);
    if (!server) {
      return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `no TLS server on port ${port} of the pods of gateway ${ref} accepts SNI ${req.lookupHost}; the TLS handshake fails` };
    }
    if (isPassthrough(server)) {
      return { ...base, outcome: RouteOutcome.UNSUPPORTED, statusCode: 0, reason: `server on port ${port} of gateway ${server.gateway} uses TLS ${server.raw.tls.mode}; SNI (tls) routes are not modelled` };
    }
    if (!isHttpServer(server.raw)) {
      return routeTcpThroughGateway(topology, workload, server, ctx);
    }
    table = topology.httpRouteTable(workload, port, server);
    scheme = req.scheme ?? 'https';
  } else if (mp.tcpServer && mp.httpServers.length === 0) {
    return routeTcpThroughGateway(topology, workload, mp.tcpServer, ctx);
  } else {
    table = topology.httpRouteTable(workload, port);
  }
  if (req.protocol === RequestProtocol.TCP) {
    notes.push(`the gateway server on port ${port} speaks HTTP, so the request is evaluated as HTTP`);
  }
  for (const n of table.notes) {
    if (n.vs.hosts.some((h) => hostCovers(h, req.lookupHost) || hostCovers(req.lookupHost, h))) {
      notes.push(n.text);
    }
  }
  const httpReq: NormalizedRequest = { ...req, scheme };
  const vhost = table.select(req.lookupHost);
  if (!vhost) {
    const domains = table.virtualHosts.map((v) => v.domain);
    const known = domains.length === 0 ? 'none' : domains.length > DOMAINS_LISTED ? `${domains.slice(0, DOMAINS_LISTED).join(', ')} and ${domains.length - DOMAINS_LISTED} more` : domains.join(', ');
    return { ...base, outcome: RouteOutcome.NO_ROUTE, statusCode: 404, reason: `host ${req.lookupHost} matches no virtual host on port ${port} of the pods of gateway ${ref} (virtual hosts: ${known}) (404 NR)` };
  }
  if (vhost.httpsRedirect && scheme !== 'https') {
    const location = `https://${req.authority}${req.path}`;
    return { ...base, outcome: RouteOutcome.REDIRECT, statusCode: 301, redirectLocation: location, reason: `the gateway server has httpsRedirect, so plain HTTP is redirected to ${location}` };
  }
  const owners = [...new Set(vhost.routes.map((r) => `${r.vs.namespace}/${r.vs.name}`))];
  if (owners.length > 1) {
    notes.push(`virtual host ${vhost.domain} merges the routes of ${owners.join(', ')} (creation order, catch-alls last)`);
  }
  // Envoy rejects a route configuration holding an invalid regex as a whole
  new Set(vhost.routes.map((r) => r.vs)).forEach((vs) => assertValidRegexes(vs.spec, `${vs.namespace}/${vs.name}`));
  const route = vhost.routes.find((r) => requestMatches(r.match, httpReq, entryLocation(r)));
  if (!route) {
    return { ...base, outcome: RouteOutcome.NO_ROUTE, statusCode: 404, reason: `no rule of the virtual host ${vhost.domain} on port ${port} of the pods of gateway ${ref} matches ${req.method} ${req.path} (404 NR)` };
  }
  return applyHttpAction(route, httpReq, ctx);
}

/**
 * The gateway pods the request arrives at: explicit request labels/namespace, else the workload the
 * Gateway selects (its own namespace first), else pods assumed from its selector.
 */
function gatewayWorkload(topology: GatewayTopology, ref: string, request: SimulatedRequest, notes: string[]): GatewayWorkload {
  const workloads = topology.workloadsOf(ref);
  const first = workloads[0];
  if (request.sourceLabels || request.sourceNamespace) {
    return topology.explicitWorkload(request.sourceLabels ?? first.labels, request.sourceNamespace ?? first.namespace);
  }
  if (first.assumed) {
    notes.push(`the request arrives at ${first.description}`);
  } else if (workloads.length > 1) {
    notes.push(`gateway ${ref} selects ${workloads.length} workloads; the request arrives at ${first.description}`);
  }
  return first;
}
