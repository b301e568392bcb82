import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualServiceSpec } from '../../imports/networking.istio.io';
import { IstioApiVersion } from '../api-version';
import { DESTINATION_RULE, istioObject, VIRTUAL_SERVICE } from './istio-object';
import { destinationRuleSpec, virtualServiceSpec } from './istio-specs';
import { MetadataFactory } from './object-metadata';
import { serviceObject } from './service-object';
import { HttpRouteModel, ServiceModel, StrategyModel, TcpRouteModel } from '../model/release-model';
import { planRouteTables, RouteTable } from '../model/route-tables';
import { staticRoutes } from '../model/static-routes';
import { claimHost } from '../validate/host-claims';
import { registerGatewayObject } from '../validate/host-sharing';

/**
 * The routes of a release written as static Istio configuration: a Kubernetes Service selecting
 * on the app label, a DestinationRule with every version's subset and one VirtualService per host
 * set. Routes can be added until synthesis; each addition is checked at once.
 */
export class StaticRouting {
  public readonly service: ApiObject;
  public readonly destinationRule: ApiObject;
  public readonly virtualServices: ApiObject[];
  private readonly http: HttpRouteModel[] = [];
  private readonly tcp: TcpRouteModel[] = [];
  private tables: RouteTable[];

  constructor(
    scope: Construct, private readonly model: ServiceModel, strategy: StrategyModel, apiVersion: IstioApiVersion, metadata: MetadataFactory,
  ) {
    // Selects on the app label alone: a version label here would leave every other subset empty.
    this.service = serviceObject(scope, 'Service', model, metadata(model.name), { [model.appLabel]: model.name });

    this.destinationRule = istioObject(scope, 'DestinationRule', DESTINATION_RULE, apiVersion, metadata(model.name), destinationRuleSpec(model));

    const routes = staticRoutes(model, strategy);
    this.tcp.push(...routes.tcp);
    this.http.push(...routes.http);
    this.tables = planRouteTables(model, this.http, this.tcp);

    // Which tables exist follows from the declaration alone; routes added later only fill them. Mesh
    // hosts are claimed at once; gateway hosts are compared across the app at synthesis, where the
    // semantics core sees every Gateway and VirtualService (validate/host-sharing.ts).
    for (const table of this.tables.filter((t) => t.gateways.length === 0)) {
      table.hosts.forEach((host) => claimHost(scope, model.path, 'mesh', host));
    }
    this.virtualServices = this.tables.map(({ id }) => {
      // the host-sharing check reads the spec at validation and cdk8s again when it writes the
      // object: built once per state of the route tables (a route added in between rebuilds them)
      let built: { tables: RouteTable[]; spec: VirtualServiceSpec } | undefined;
      const spec = () => {
        if (built?.tables !== this.tables) {
          built = { tables: this.tables, spec: virtualServiceSpec(model, this.table(id)) };
        }
        return built.spec;
      };
      const object = istioObject(scope, `VirtualService-${id}`, VIRTUAL_SERVICE, apiVersion, metadata(`${model.name}-${id}`), spec);
      // Mesh-only ones too: the host-sharing check then reads their spec from the model and skips
      // them, instead of resolving the whole object to find out that they bind no gateway.
      registerGatewayObject(object, { owner: model.path, spec, rules: () => this.table(id).http.map((r) => r.description) });
      return object;
    });
  }

  public addHttpRoute(route: HttpRouteModel): void {
    this.http.push(route);
    // Planning now reports a route that can never match where it is declared, not at synthesis.
    this.tables = planRouteTables(this.model, this.http, this.tcp);
  }

  private table(id: string): RouteTable {
    const table = this.tables.find((t) => t.id === id);
    if (!table) {
      throw new Error(`${this.model.path}: internal error: no route table '${id}'`);
    }
    return table;
  }
}
