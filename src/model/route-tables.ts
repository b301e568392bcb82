import { orderRoutes } from './match-order';
import { mountRoutes } from './mounted-routes';
import { EntryPoint, HttpRouteModel, ServiceModel, TcpRouteModel } from './release-model';

/**
 * The routes of one entry point for one host set: one VirtualService in Istio terms.
 */
export interface RouteTable {
  /** Name suffix that identifies the table within its service (`mesh`, `ingress`, `preview-blue`). */
  readonly id: string;
  readonly hosts: string[];
  /** Gateways as `namespace/name`; empty for the mesh (sidecars). */
  readonly gateways: string[];
  readonly http: HttpRouteModel[];
  readonly tcp: TcpRouteModel[];
}

/**
 * Splits a release's routes into route tables. Mesh and gateway routes never share a table, so a
 * rule meant for sidecars is never bound to a gateway (where `sourceLabels` would see the gateway
 * pod's labels) and a rule meant for the gateway never reaches sidecars.
 */
export function planRouteTables(service: ServiceModel, http: HttpRouteModel[], tcp: TcpRouteModel[]): RouteTable[] {
  const tables: RouteTable[] = [];
  if (service.meshRouting) {
    tables.push({ id: 'mesh', hosts: [service.fqdn], gateways: [], http: orderRoutes(routesFor(http, 'mesh')), tcp });
  }
  if (service.gateway && service.externalHosts.length > 0) {
    const ingress = routesFor(http, 'ingress');
    for (const route of ingress) {
      if (route.matches.some((m) => m.sourceLabels && Object.keys(m.sourceLabels).length > 0)) {
        throw new Error(`${route.owner}: route '${route.description}' selects callers by sourceLabels but is bound to gateway ${service.gateway}, where it would be skipped: sourceLabels apply to mesh routes only`);
      }
    }
    tables.push({ id: 'ingress', hosts: service.externalHosts, gateways: [service.gateway], http: mounted(service, orderRoutes(ingress)), tcp: [] });
  }
  if (service.gateway) {
    for (const [version, host] of Object.entries(service.previewHosts)) {
      tables.push({
        id: `preview-${version}`,
        hosts: [host],
        gateways: [service.gateway],
        http: mounted(service, [{ owner: service.path, description: `preview host ${host} -> ${version}`, entryPoints: ['ingress'], matches: [], destinations: [{ version, weight: 100 }] }]),
        tcp: [],
      });
    }
  }
  return tables;
}

/** Gateway routes restricted to the release's mount, after ordering, so the order is kept. */
function mounted(service: ServiceModel, routes: HttpRouteModel[]): HttpRouteModel[] {
  return service.mount ? mountRoutes(routes, service.mount, service.path) : routes;
}

function routesFor(routes: HttpRouteModel[], entryPoint: EntryPoint): HttpRouteModel[] {
  return routes.filter((route) => route.entryPoints.includes(entryPoint));
}
