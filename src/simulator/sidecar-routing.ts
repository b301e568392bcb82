import { routeMeshGatewayApi, routeMeshTcpGatewayApi } from './gateway-api-routing';
import { applyHttpAction, defaultHttpRoute } from './http-actions';
import { NormalizedRequest } from './request';
import { routeTcpFromSidecar } from './tcp-routing';
import { RequestProtocol, RouteOutcome, RouteResult } from './types';
import { DestinationContext, PortInference } from '../semantics/destinations';
import { ManifestIndex } from '../semantics/manifest-index';
import { assertValidRegexes, requestMatches } from '../semantics/match';
import { PortProtocol, isHttpOrSniffed } from '../semantics/protocols';
import { entryLocation } from '../semantics/routes';
import { meshProxy, sidecarVirtualHost } from '../semantics/sidecars';

/** Who sends the request. */
export interface MeshCaller {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * Routes a request sent by a pod in the mesh through its sidecar.
 */
export function routeFromSidecar(index: ManifestIndex, caller: MeshCaller, req: NormalizedRequest): RouteResult {
  const notes: string[] = [];
  const svc = index.serviceForHost(req.lookupHost, caller.namespace);
  let port = req.port;
  if (port === undefined) {
    if (!svc || svc.ports.length !== 1) {
      throw new Error(`a tcp request to '${req.authority}' needs a port: the host is ${svc ? `a service with ports ${svc.ports.map((p) => p.port).join(', ')}` : 'not a known service'}`);
    }
    port = svc.ports[0].port;
  }
  const proxy = meshProxy(caller.namespace, caller.labels, port);
  const svcPort = svc?.ports.find((p) => p.port === port);
  if (req.protocol === RequestProtocol.TCP || (svcPort && !isHttpOrSniffed(svcPort.protocol))) {
    if (!svc || !svcPort) {
      return passthrough(notes, `${req.authority}:${port} is not a port of a known Service; the sidecar passes the connection through unchanged (PassthroughCluster)`, 0);
    }
    if (svcPort.protocol === PortProtocol.TLS) {
      notes.push(`port ${port} of ${svc.fqdn} is TLS; VirtualService tls (SNI) rules are not modelled, tcp rules are used`);
    } else if (req.protocol === RequestProtocol.HTTP) {
      notes.push(`port ${port} of ${svc.fqdn} is declared ${svcPort.protocol}, so http rules do not apply and the request is routed as TCP`);
    }
    const gatewayApiTcp = routeMeshTcpGatewayApi(index, caller.namespace, svc, port, notes);
    if (gatewayApiTcp) {
      return gatewayApiTcp;
    }
    const tcpCtx: DestinationContext = {
      index, clientNamespace: caller.namespace, listenerPort: port, portInference: PortInference.SINGLE_SERVICE_PORT, notes,
    };
    return routeTcpFromSidecar(index, svc, proxy, tcpCtx);
  }
  // sidecar HTTP routes only know the services of the listener port, so a destination without port uses it
  const ctx: DestinationContext = { index, clientNamespace: caller.namespace, listenerPort: port, portInference: PortInference.LISTENER_PORT, notes };
  const gatewayApi = svc && svcPort ? routeMeshGatewayApi(index, caller.namespace, svc, port, { ...req, port }, notes) : undefined;
  if (gatewayApi) {
    return gatewayApi;
  }
  const vhost = sidecarVirtualHost(index, proxy, req.lookupHost, notes);
  if (!vhost) {
    return passthrough(notes, `host ${req.lookupHost} is not a Service or VirtualService host known to sidecars on port ${port}; the request goes out unchanged via PassthroughCluster (outboundTrafficPolicy ALLOW_ANY; REGISTRY_ONLY would answer 502)`, 200);
  }
  if (vhost.kind === 'service') {
    return defaultHttpRoute(vhost.service, { ...req, port }, ctx,
      `no VirtualService applies to ${vhost.service.fqdn} for this caller; default routing to all endpoints of the service`);
  }
  assertValidRegexes(vhost.vs.spec, `${vhost.vs.namespace}/${vhost.vs.name}`);
  const route = vhost.routes.find((r) => requestMatches(r.match, req, entryLocation(r)));
  if (!route) {
    const vs = vhost.vs;
    return {
      outcome: RouteOutcome.NO_ROUTE,
      statusCode: 404,
      destinations: [],
      mirrors: [],
      notes,
      reason: `virtualservice ${vs.namespace}/${vs.name} claims ${req.lookupHost} but none of its rules matches ${req.method} ${req.path} (404 NR)`,
    };
  }
  return applyHttpAction(route, req, ctx);
}

function passthrough(notes: string[], reason: string, statusCode: number): RouteResult {
  return { outcome: RouteOutcome.PASSTHROUGH, statusCode, destinations: [], mirrors: [], notes, reason };
}
