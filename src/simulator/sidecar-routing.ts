import { DestinationContext } from './destinations';
import { applyHttpAction, defaultHttpRoute } from './http-actions';
import { buildHttpRoutes, HttpRoute, routeMatches } from './http-routes';
import {
  hostMatches, IndexedService, IndexedVirtualService, isExportedTo, ManifestIndex, MESH_GATEWAY, PortProtocol,
} from './manifest-index';
import { NormalizedRequest } from './request';
import { routeTcpFromSidecar } from './tcp-routing';
import { RequestProtocol, RouteOutcome, RouteResult } from './types';
import { selectVirtualHost } from './virtual-hosts';

interface SidecarVhost {
  readonly domains: string[];
  readonly routes?: HttpRoute[];
  readonly vs?: IndexedVirtualService;
  /** Set for a service's default route. */
  readonly service?: IndexedService;
}

/** Who sends the request. */
export interface MeshCaller {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const isHttpish = (p: PortProtocol) => p === PortProtocol.HTTP || p === PortProtocol.SNIFFED;

/**
 * Routes a request sent by a pod in the mesh through its sidecar (§1, §3, §11 sidecar model).
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
  const ctx: DestinationContext = { index, clientNamespace: caller.namespace, listenerPort: port, notes };
  const svcPort = svc?.ports.find((p) => p.port === port);
  if (req.protocol === RequestProtocol.TCP || (svcPort && !isHttpish(svcPort.protocol))) {
    if (!svc || !svcPort) {
      return passthrough(notes, `${req.authority}:${port} is not a port of a known Service; the sidecar passes the connection through unchanged (PassthroughCluster)`, 0);
    }
    if (svcPort.protocol === PortProtocol.TLS) {
      notes.push(`port ${port} of ${svc.fqdn} is TLS; VirtualService tls (SNI) rules are not modelled, tcp rules are used`);
    } else if (req.protocol === RequestProtocol.HTTP) {
      notes.push(`port ${port} of ${svc.fqdn} is declared ${svcPort.protocol}, so http rules do not apply and the request is routed as TCP`);
    }
    return routeTcpFromSidecar(index, svc, { gatewayNames: new Set([MESH_GATEWAY]), labels: caller.labels, namespace: caller.namespace, port }, ctx);
  }
  const vhosts = buildSidecarVhosts(index, caller, port, req.lookupHost, notes);
  const vhost = selectVirtualHost(vhosts, req.lookupHost);
  if (!vhost) {
    return passthrough(notes, `host ${req.lookupHost} is not a Service or VirtualService host known to sidecars on port ${port}; the request goes out unchanged via PassthroughCluster (outboundTrafficPolicy ALLOW_ANY; REGISTRY_ONLY would answer 502)`, 200);
  }
  if (vhost.service) {
    return defaultHttpRoute(vhost.service, { ...req, port }, ctx,
      `no VirtualService applies to ${vhost.service.fqdn} for this caller; default routing to all endpoints of the service`);
  }
  const route = vhost.routes!.find((r) => routeMatches(r, req));
  if (!route) {
    const vs = vhost.vs!;
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

/**
 * The sidecar's HTTP route table for one port: VirtualServices bound to `mesh` claim domains
 * (first, i.e. oldest, wins; no merging), remaining HTTP services get default routes (§1.4, §1.6, §1.7).
 */
function buildSidecarVhosts(index: ManifestIndex, caller: MeshCaller, port: number, requestHost: string, notes: string[]): SidecarVhost[] {
  const used = new Set<string>();
  const covered = new Set<string>();
  const out: SidecarVhost[] = [];
  const proxy = { gatewayNames: new Set([MESH_GATEWAY]), labels: caller.labels, namespace: caller.namespace, port };
  for (const vs of index.virtualServices) {
    if (!vs.gateways.includes(MESH_GATEWAY) || !isExportedTo(vs.spec.exportTo, vs.namespace, caller.namespace)) {
      continue;
    }
    const { services, plainHosts } = separateHosts(index, vs);
    const withHttp = services.filter((s) => s.ports.some((p) => isHttpish(p.protocol)));
    let onPort: IndexedService[];
    if (withHttp.length === 0) {
      // VirtualServices for non-registry hosts only get sidecar vhosts on port 80
      if (port !== 80) {
        continue;
      }
      onPort = [];
    } else {
      onPort = withHttp.filter((s) => s.ports.some((p) => p.port === port && isHttpish(p.protocol)));
      if (onPort.length === 0) {
        continue;
      }
    }
    const routes = buildHttpRoutes(vs, proxy);
    const domains = [...onPort.flatMap((s) => index.altNames(s, caller.namespace)), ...plainHosts];
    if (routes.length === 0) {
      if (domains.includes(requestHost)) {
        notes.push(`virtualservice ${vs.namespace}/${vs.name} contributes no routes for this caller: every match was dropped by port, gateways or sourceLabels/sourceNamespace (caller labels ${JSON.stringify(caller.labels)}, namespace ${caller.namespace})`);
      }
      continue;
    }
    const fresh = domains.filter((d) => !used.has(d));
    if (fresh.length < domains.length && domains.includes(requestHost) && !fresh.includes(requestHost)) {
      notes.push(`virtualservice ${vs.namespace}/${vs.name} also claims ${requestHost} but an older VirtualService already owns it; sidecars do not merge VirtualServices`);
    }
    fresh.forEach((d) => used.add(d));
    onPort.forEach((s) => covered.add(s.fqdn));
    if (fresh.length > 0) {
      out.push({ domains: fresh, routes, vs });
    }
  }
  for (const svc of index.services.values()) {
    if (covered.has(svc.fqdn) || !svc.ports.some((p) => p.port === port && isHttpish(p.protocol))) {
      continue;
    }
    const domains = index.altNames(svc, caller.namespace).filter((d) => !used.has(d));
    domains.forEach((d) => used.add(d));
    out.push({ domains, service: svc });
  }
  return out;
}

/**
 * Splits VirtualService hosts into registry services (exact, or matched by a wildcard host) and
 * plain host names (istiod `separateVSHostsAndServices`).
 */
function separateHosts(index: ManifestIndex, vs: IndexedVirtualService): { services: IndexedService[]; plainHosts: string[] } {
  const services: IndexedService[] = [];
  const plainHosts: string[] = [];
  for (const h of vs.hosts) {
    const exact = index.services.get(h);
    if (exact) {
      services.push(exact);
      continue;
    }
    const wild = [...index.services.values()].filter((s) => h.startsWith('*') && hostMatches(s.fqdn, h));
    if (wild.length > 0) {
      services.push(...wild);
    } else {
      plainHosts.push(h);
    }
  }
  return { services, plainHosts };
}
