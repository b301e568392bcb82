import { DestinationContext } from './destinations';
import { applyHttpAction } from './http-actions';
import { buildHttpRoutes, HttpRoute, ProxyContext, routeMatches } from './http-routes';
import { hostIntersection, IndexedObject, isExportedTo, labelsSubsetOf, ManifestIndex } from './manifest-index';
import { NormalizedRequest } from './request';
import { routeTcpThroughGateway } from './tcp-routing';
import { RequestProtocol, RouteOutcome, RouteResult, SimulatedRequest } from './types';
import { selectVirtualHost } from './virtual-hosts';

/** A Gateway server with its owner and parsed `[ns/]host` entries. */
interface Server {
  readonly gateway: string;
  readonly protocol: string;
  readonly hosts: { ns: string; host: string }[];
  readonly tls: any;
}

/** The gateway workload as a proxy: its pod labels and namespace. */
interface GatewayProxy {
  readonly labels: Record<string, string>;
  readonly namespace: string;
}

interface GatewayVhost {
  readonly domains: string[];
  readonly routes: HttpRoute[];
  httpsRedirect: boolean;
}

const TCP_PROTOCOLS = ['TCP', 'MONGO', 'MYSQL', 'REDIS'];
const PASSTHROUGH_MODES = ['PASSTHROUGH', 'AUTO_PASSTHROUGH'];

/**
 * Routes a request entering through a named Gateway (§6, §11 gateway model).
 */
export function routeThroughGateway(index: ManifestIndex, request: SimulatedRequest, req: NormalizedRequest): RouteResult {
  const notes: string[] = [];
  const gw = index.gateway(String(request.gateway));
  const proxy = gatewayProxy(index, gw, request, notes);
  const port = req.port;
  if (port === undefined) {
    throw new Error(`a ${req.protocol.toLowerCase()} request through gateway '${request.gateway}' needs a port (one of the gateway's server ports)`);
  }
  // every Gateway selecting this workload contributes servers to the same proxy
  const serving = [...index.gateways.entries()]
    .filter(([key, g]) => key === request.gateway || labelsSubsetOf(g.spec.selector, proxy.labels))
    .sort(([a], [b]) => (a === request.gateway ? -1 : b === request.gateway ? 1 : a < b ? -1 : 1));
  let servers: Server[] = serving.flatMap(([key, g]) => serversOf(g).filter((s: any) => Number(s.port?.number) === port)
    .map((s: any) => parseServer(key, g, s)));
  const base = { destinations: [], mirrors: [], notes };
  if (servers.length === 0) {
    return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `gateway ${request.gateway} has no server on port ${port}; the connection is refused` };
  }
  const protocol = servers[0].protocol;
  const ctx: DestinationContext = { index, clientNamespace: proxy.namespace, listenerPort: port, notes };
  const tcpProxy = { gatewayNames: new Set<string>(), labels: proxy.labels, namespace: proxy.namespace, port };
  if (protocol === 'HTTPS' || protocol === 'TLS') {
    // the TLS filter chain is chosen by SNI, which we take to be the request host
    servers = servers.filter((s) => s.hosts.some((h) => hostIntersection(req.lookupHost, h.host) !== undefined));
    if (servers.length === 0) {
      return { ...base, outcome: RouteOutcome.NO_LISTENER, statusCode: 0, reason: `no ${protocol} server on port ${port} of gateway ${request.gateway} accepts SNI ${req.lookupHost}; the TLS handshake fails` };
    }
    if (PASSTHROUGH_MODES.includes(String(servers[0].tls?.mode ?? '').toUpperCase())) {
      return { ...base, outcome: RouteOutcome.UNSUPPORTED, statusCode: 0, reason: `server on port ${port} uses TLS ${servers[0].tls.mode}; SNI (tls) routes are not modelled` };
    }
    servers = [servers[0]];
  }
  if (TCP_PROTOCOLS.includes(protocol) || protocol === 'TLS') {
    return routeTcpThroughGateway(index, servers, tcpProxy, ctx);
  }
  if (req.protocol === RequestProtocol.TCP) {
    notes.push(`the gateway server on port ${port} speaks ${protocol}, so the request is evaluated as HTTP`);
  }
  const httpReq: NormalizedRequest = { ...req, scheme: req.scheme ?? (protocol === 'HTTPS' ? 'https' : 'http') };
  const vhosts = buildGatewayVhosts(index, servers, proxy, port, notes);
  const vhost = selectVirtualHost(vhosts, req.lookupHost);
  if (!vhost) {
    const known = vhosts.flatMap((v) => v.domains).join(', ') || 'none';
    return { ...base, outcome: RouteOutcome.NO_ROUTE, statusCode: 404, reason: `host ${req.lookupHost} matches no virtual host on gateway ${request.gateway} port ${port} (virtual hosts: ${known}) (404 NR)` };
  }
  if (vhost.httpsRedirect && httpReq.scheme !== 'https') {
    const redirectLocation = `https://${req.authority}${req.path}`;
    return { ...base, outcome: RouteOutcome.REDIRECT, statusCode: 301, redirectLocation, reason: `the gateway server has httpsRedirect, so plain HTTP is redirected to ${redirectLocation}` };
  }
  const route = vhost.routes.find((r) => routeMatches(r, httpReq));
  if (!route) {
    return { ...base, outcome: RouteOutcome.NO_ROUTE, statusCode: 404, reason: `no rule of the virtual host ${vhost.domains.join(', ')} on gateway ${request.gateway} matches ${req.method} ${req.path} (404 NR)` };
  }
  return applyHttpAction(route, httpReq, ctx);
}

/**
 * The gateway proxy's identity: explicit request values, else a workload the selector picks
 * (preferring the Gateway's namespace), else the selector and the Gateway's namespace.
 */
function gatewayProxy(index: ManifestIndex, gw: IndexedObject, request: SimulatedRequest, notes: string[]): GatewayProxy {
  const selector: Record<string, string> = gw.spec.selector ?? {};
  const pods = Object.keys(selector).length > 0 ? index.podsSelectedAnywhere(selector) : [];
  const pod = pods.find((p) => p.namespace === gw.namespace) ?? pods[0];
  if (!pod && !request.sourceLabels) {
    notes.push(`gateway pod labels taken from the selector of ${gw.namespace}/${gw.name}: ${JSON.stringify(selector)}`);
  }
  return {
    labels: request.sourceLabels ?? pod?.labels ?? selector,
    namespace: request.sourceNamespace ?? pod?.namespace ?? gw.namespace,
  };
}

function serversOf(gw: IndexedObject): any[] {
  return Array.isArray(gw.spec.servers) ? gw.spec.servers : [];
}

function parseServer(key: string, gw: IndexedObject, s: any): Server {
  const hosts = (s.hosts ?? []).map((h: any) => {
    const text = String(h).toLowerCase();
    const slash = text.indexOf('/');
    if (slash < 0) {
      return { ns: '*', host: text };
    }
    const ns = text.slice(0, slash);
    return { ns: ns === '.' ? gw.namespace : ns, host: text.slice(slash + 1) };
  });
  return { gateway: key, protocol: String(s.port?.protocol ?? 'HTTP').toUpperCase(), hosts, tls: s.tls };
}

/**
 * Gateway route table for one port: each bound VirtualService contributes its routes to the
 * virtual hosts it intersects, in creation order; catch-alls then move to the end (§1.7, §6).
 */
function buildGatewayVhosts(index: ManifestIndex, servers: Server[], proxy: GatewayProxy, port: number, notes: string[]): GatewayVhost[] {
  const byDomain = new Map<string, GatewayVhost>();
  for (const server of servers) {
    const ctx: ProxyContext = { gatewayNames: new Set([server.gateway]), labels: proxy.labels, namespace: proxy.namespace, port };
    for (const vs of index.virtualServices) {
      if (!vs.gateways.includes(server.gateway)) {
        continue;
      }
      if (!isExportedTo(vs.spec.exportTo, vs.namespace, proxy.namespace)) {
        notes.push(`virtualservice ${vs.namespace}/${vs.name} is not exported to the gateway namespace ${proxy.namespace}`);
        continue;
      }
      const domains = new Set<string>();
      for (const sh of server.hosts) {
        if (sh.ns !== '*' && sh.ns !== vs.namespace) {
          continue;
        }
        for (const h of vs.hosts) {
          const d = hostIntersection(h, sh.host);
          if (d !== undefined) {
            domains.add(d);
          }
        }
      }
      if (domains.size === 0) {
        continue;
      }
      const routes = buildHttpRoutes(vs, ctx);
      if (routes.length === 0) {
        notes.push(`virtualservice ${vs.namespace}/${vs.name} has no routes on gateway ${server.gateway}: every match was dropped by port, gateways or sourceLabels/sourceNamespace (gateway pod labels ${JSON.stringify(proxy.labels)})`);
        continue;
      }
      for (const d of domains) {
        const vh = byDomain.get(d) ?? { domains: [d], routes: [], httpsRedirect: false };
        vh.routes.push(...routes);
        vh.httpsRedirect = vh.httpsRedirect || !!server.tls?.httpsRedirect;
        byDomain.set(d, vh);
      }
    }
    // httpsRedirect works even for hosts no VirtualService binds to
    if (server.tls?.httpsRedirect) {
      for (const sh of server.hosts) {
        const vh = byDomain.get(sh.host) ?? { domains: [sh.host], routes: [], httpsRedirect: true };
        vh.httpsRedirect = true;
        byDomain.set(sh.host, vh);
      }
    }
  }
  return [...byDomain.values()].map((vh) => ({
    ...vh,
    routes: [...vh.routes.filter((r) => !r.catchAll), ...vh.routes.filter((r) => r.catchAll)],
  }));
}
