import {
  DestinationRuleSpec,
  GatewaySpec,
  GatewaySpecServersTlsMode,
  VirtualServiceSpec,
  VirtualServiceSpecHttp,
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpRoute,
  VirtualServiceSpecTcp,
} from '../../imports/networking.istio.io';
import { istioMatch } from '../model/istio-match';
import { HttpMatchModel, HttpRouteModel, ServiceModel, TcpRouteModel, WeightedDestination } from '../model/release-model';
import { RouteTable } from '../model/route-tables';

/**
 * Writes the release model as Istio object specs. Pure functions of the model, so every other
 * output format can be added beside this one without touching the constructs.
 */

export function destinationRuleSpec(service: ServiceModel): DestinationRuleSpec {
  return {
    host: service.fqdn,
    subsets: service.versions.map((version) => ({
      name: version.name,
      labels: { [service.versionLabel]: version.name },
    })),
  };
}

export interface GatewayServerOptions {
  readonly hosts: string[];
  readonly credentialName?: string;
  readonly httpsRedirect?: boolean;
  readonly serveHttp?: boolean;
  readonly selector: Record<string, string>;
}

export function gatewaySpec(options: GatewayServerOptions): GatewaySpec {
  const hosts = [...options.hosts];
  if (options.credentialName === undefined) {
    return { selector: options.selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] };
  }
  const servers: GatewaySpec['servers'] = [
    {
      port: { number: 443, name: 'https', protocol: 'HTTPS' },
      hosts,
      tls: { mode: GatewaySpecServersTlsMode.SIMPLE, credentialName: options.credentialName },
    },
  ];
  if (options.httpsRedirect) {
    servers.push({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } });
  } else if (options.serveHttp) {
    // Both servers list the same hosts, so every VirtualService bound to the Gateway serves both (docs/istio-semantics.md §6).
    servers.push({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts });
  }
  return { selector: options.selector, servers };
}

export function virtualServiceSpec(service: ServiceModel, table: RouteTable): VirtualServiceSpec {
  const http = table.http.map((route) => httpRule(service, table, route));
  const tcp = table.tcp.map((route) => tcpRule(service, route));
  return {
    hosts: table.hosts,
    gateways: table.gateways.length > 0 ? table.gateways : undefined,
    http: http.length > 0 ? http : undefined,
    tcp: tcp.length > 0 ? tcp : undefined,
  };
}

function httpRule(service: ServiceModel, table: RouteTable, route: HttpRouteModel): VirtualServiceSpecHttp {
  const port = destinationPort(service, table);
  return {
    match: route.matches.length > 0 ? route.matches.map(httpMatch) : undefined,
    rewrite: route.rewriteUri !== undefined ? { uri: route.rewriteUri } : undefined,
    route: destinations(service, route.destinations, port),
    mirror: route.mirror ? { host: service.fqdn, subset: route.mirror.version, port: port !== undefined ? { number: port } : undefined } : undefined,
    mirrorPercentage: route.mirror ? { value: route.mirror.percent } : undefined,
  };
}

function httpMatch(match: HttpMatchModel): VirtualServiceSpecHttpMatch {
  return istioMatch(match);
}

function tcpRule(service: ServiceModel, route: TcpRouteModel): VirtualServiceSpecTcp {
  return {
    match: [{ port: route.port, sourceLabels: route.sourceLabels }],
    route: destinations(service, route.destinations, route.port),
  };
}

/**
 * Istio drops weight-0 destinations and gives a lone destination all traffic, so both are written
 * out that way: rollback (0) and promotion (100) produce a single plain destination.
 */
function destinations(service: ServiceModel, weighted: WeightedDestination[], port: number | undefined): VirtualServiceSpecHttpRoute[] {
  const live = weighted.filter((d) => d.weight > 0);
  return live.map((d) => ({
    destination: { host: service.fqdn, subset: d.version, port: port !== undefined ? { number: port } : undefined },
    weight: live.length > 1 ? d.weight : undefined,
    headers: d.responseHeadersToAdd ? { response: { add: d.responseHeadersToAdd } } : undefined,
  }));
}

/**
 * Gateways forward to the port the request arrived on unless told otherwise, which is never the
 * service port, so gateway routes always name the first HTTP port. Sidecars keep the request's port,
 * but istioctl requires a port when the service has several (IST0112); with one HTTP port beside
 * TCP ones, naming it changes nothing, as http rules only apply on HTTP listeners.
 */
function destinationPort(service: ServiceModel, table: RouteTable): number | undefined {
  if (table.gateways.length > 0) {
    return service.ports.find((p) => p.http)?.port;
  }
  const http = service.ports.filter((p) => p.http);
  return service.ports.length === 1 ? service.ports[0].port : http.length === 1 ? http[0].port : undefined;
}
