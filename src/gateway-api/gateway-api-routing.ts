import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CertificateRef, ListenerPlan, planListeners, redirectRouteSpec, routeHostnames } from './gateway-listeners';
import { httpRouteRules } from './http-route-rules';
import {
  GATEWAY_GROUP, GATEWAY_KIND, GatewayApiKind, gatewayParent, HTTP_ROUTE_KIND, REFERENCE_GRANT_KIND, serviceParent, TCP_ROUTE_KIND,
} from './parent-refs';
import { backendName, versionServices } from './version-services';
import { HttpRouteSpec, HttpRouteSpecRules, ReferenceGrantSpec, TcpRouteSpec } from '../../imports/gateway.networking.k8s.io';
import { MetadataFactory } from '../emit/object-metadata';
import { serviceObject } from '../emit/service-object';
import { HttpRouteModel, ServiceModel, StrategyModel, TcpRouteModel } from '../model/release-model';
import { planRouteTables, RouteTable } from '../model/route-tables';
import { CheckedService } from '../model/service-model';
import { staticRoutes } from '../model/static-routes';
import { claimHost } from '../validate/host-claims';

/** What the Gateway API routing of one release is built from. */
export interface GatewayApiRoutingInput {
  readonly checked: CheckedService;
  readonly strategy: StrategyModel;
  readonly metadata: MetadataFactory;
  /** Where the created Gateway's TLS Secret lives. */
  readonly certificateNamespace?: string;
  /** Labels for the main Service (the ambient waypoint it uses). */
  readonly serviceLabels: Record<string, string>;
}

/** One HTTPRoute of the release: a route table written for one parent. */
interface HttpRoutePlan {
  /** Name suffix: `mesh` (or `mesh-<port>` with several HTTP ports), `ingress`, `preview-<version>`. */
  readonly id: string;
  readonly table: string;
  readonly port: number;
  readonly parentRefs: HttpRouteSpec['parentRefs'];
  readonly hostnames?: string[];
}

/**
 * The routes of a release written as Gateway API objects: the main Service (the parent of the mesh
 * routes), a Service per version (the backends), a Gateway of class `istio` when the release creates
 * one, an HTTPRoute per route table (mesh, ingress, each preview host) and a TCPRoute per TCP port.
 * Object names are `<service>-<table>`, so they are the same for the same declaration. Routes can be
 * added until synthesis; each addition is checked at once.
 */
export class GatewayApiRouting {
  public readonly service: ApiObject;
  public readonly versionServices: ApiObject[];
  public readonly gateway?: ApiObject;
  public readonly referenceGrants: ApiObject[] = [];
  public readonly httpRoutes: ApiObject[] = [];
  public readonly tcpRoutes: ApiObject[] = [];
  private readonly model: ServiceModel;
  private readonly http: HttpRouteModel[] = [];
  private readonly tcp: TcpRouteModel[] = [];
  private readonly plans: HttpRoutePlan[] = [];
  private rules = new Map<string, HttpRouteSpecRules[]>();

  constructor(private readonly scope: Construct, input: GatewayApiRoutingInput) {
    const model = input.checked.model;
    const metadata = input.metadata;
    this.model = model;
    const serviceMetadata = metadata(model.name);
    this.service = serviceObject(scope, 'Service', model, { ...serviceMetadata, labels: { ...serviceMetadata.labels, ...input.serviceLabels } },
      { [model.appLabel]: model.name });
    this.versionServices = versionServices(scope, model, metadata);

    const routes = staticRoutes(model, input.strategy);
    this.http.push(...routes.http);
    this.tcp.push(...routes.tcp);
    const tables = planRouteTables(model, this.http, this.tcp);
    for (const table of tables) {
      const mount = table.gateways.length > 0 ? model.mount?.prefix : undefined;
      table.hosts.forEach((host) => claimHost(scope, model.path, table.gateways[0] ?? 'mesh', host, mount));
    }

    const toCreate = input.checked.gatewayToCreate;
    let listeners: ListenerPlan | undefined;
    if (toCreate) {
      const options = toCreate.binding.createOptions!;
      const certificate: CertificateRef | undefined = options.credentialName !== undefined
        ? { name: options.credentialName, namespace: input.certificateNamespace }
        : undefined;
      listeners = planListeners(model.path, [...model.externalHosts, ...Object.values(model.previewHosts)], options, certificate);
      this.gateway = gatewayApiObject(scope, 'Gateway', GATEWAY_KIND, metadata(toCreate.name), listeners.spec);
      if (certificate?.namespace !== undefined) {
        this.referenceGrants.push(this.certificateGrant(toCreate.name, certificate, metadata));
      }
      if (listeners.redirecting.length > 0) {
        const hosts = [...model.externalHosts, ...Object.values(model.previewHosts)];
        this.httpRoutes.push(gatewayApiObject(scope, 'HTTPRoute-https-redirect', HTTP_ROUTE_KIND, metadata(`${model.name}-https-redirect`),
          redirectRouteSpec(model.path, toCreate.name, listeners, hosts)));
      }
    }

    this.plans.push(...tables.flatMap((table) => this.planHttpRoutes(table, listeners)));
    this.refreshRules();
    for (const plan of this.plans) {
      this.httpRoutes.push(gatewayApiObject(scope, `HTTPRoute-${plan.id}`, HTTP_ROUTE_KIND, metadata(`${model.name}-${plan.id}`), () => ({
        parentRefs: plan.parentRefs,
        hostnames: plan.hostnames,
        rules: this.rules.get(plan.id)!,
      })));
    }
    for (const route of tables.find((t) => t.id === 'mesh')?.tcp ?? []) {
      this.tcpRoutes.push(gatewayApiObject(scope, `TCPRoute-${route.port}`, TCP_ROUTE_KIND, metadata(`${model.name}-tcp-${route.port}`), this.tcpRouteSpec(route)));
    }
  }

  public addHttpRoute(route: HttpRouteModel): void {
    this.http.push(route);
    // Writing the rules now reports a route whose order Gateway API cannot keep, not at synthesis.
    this.refreshRules();
  }

  private refreshRules(): void {
    const tables = new Map(planRouteTables(this.model, this.http, this.tcp).map((t) => [t.id, t]));
    const rules = new Map<string, HttpRouteSpecRules[]>();
    for (const plan of this.plans) {
      const where = `${this.model.path} (HTTPRoute ${this.model.name}-${plan.id})`;
      rules.set(plan.id, httpRouteRules({ service: this.model, port: plan.port, where }, tables.get(plan.table)!.http));
    }
    this.rules = rules;
  }

  /**
   * The mesh table becomes one HTTPRoute per HTTP port (a backend needs a port, and a sidecar keeps
   * the port the caller used); gateway tables one HTTPRoute each, addressing the first HTTP port as
   * the Istio output does.
   */
  private planHttpRoutes(table: RouteTable, listeners: ListenerPlan | undefined): HttpRoutePlan[] {
    const model = this.model;
    const httpPorts = model.ports.filter((p) => p.http);
    if (httpPorts.length === 0) {
      return [];
    }
    if (table.gateways.length === 0) {
      return httpPorts.map((p) => ({
        id: httpPorts.length === 1 ? 'mesh' : `mesh-${p.port}`,
        table: table.id,
        port: p.port,
        parentRefs: [serviceParent(model.name, p.port)],
      }));
    }
    const parentRefs = listeners
      ? table.hosts.flatMap((host) => (listeners.serving.get(host) ?? []).map((sectionName) => ({ ...gatewayParent(model.gateway!.split('/')[1]), sectionName })))
      : [gatewayParent(model.gateway!)];
    return [{ id: table.id, table: table.id, port: httpPorts[0].port, parentRefs, hostnames: routeHostnames(model.path, table.hosts) }];
  }

  private tcpRouteSpec(route: TcpRouteModel): TcpRouteSpec {
    const live = route.destinations.filter((d) => d.weight > 0);
    return {
      parentRefs: [serviceParent(this.model.name, route.port)],
      rules: [{
        backendRefs: live.map((d) => ({
          name: backendName(this.model, d.version), port: route.port, weight: live.length > 1 ? d.weight : undefined,
        })),
      }],
    };
  }

  /** Lets the Gateway read a TLS Secret in another namespace; the grant lives beside the Secret. */
  private certificateGrant(gatewayName: string, certificate: CertificateRef, metadata: MetadataFactory): ApiObject {
    const spec: ReferenceGrantSpec = {
      from: [{ group: GATEWAY_GROUP, kind: 'Gateway', namespace: this.model.namespace }],
      to: [{ group: '', kind: 'Secret', name: certificate.name }],
    };
    const base = metadata(`${this.model.namespace}-${gatewayName}-certificate`);
    return gatewayApiObject(this.scope, 'ReferenceGrant-certificate', REFERENCE_GRANT_KIND, { ...base, namespace: certificate.namespace }, spec);
  }
}

/**
 * A Gateway API object. Specs are typed with the generated interfaces and written without the
 * generated converters, like the Istio objects (every field has its wire name); a spec given as a
 * function is produced at synthesis, so routes added after construction are included.
 */
function gatewayApiObject<Spec extends object>(
  scope: Construct, id: string, kind: GatewayApiKind, metadata: ApiObjectMetadata, spec: Spec | (() => Spec),
): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata,
    spec: typeof spec === 'function' ? Lazy.any({ produce: spec }) : spec,
  });
}
