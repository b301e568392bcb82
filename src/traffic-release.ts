import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IstioApiVersion } from './api-version';
import { applyVersionWorkload } from './emit/workloads';
import { DESTINATION_RULE, GATEWAY, istioObject, VIRTUAL_SERVICE } from './emit/istio-object';
import { destinationRuleSpec, gatewaySpec, virtualServiceSpec } from './emit/istio-specs';
import { GatewayBinding } from './gateway-binding';
import { HttpRouteModel, PortModel, ServiceModel, TcpRouteModel } from './model/release-model';
import { planRouteTables, RouteTable } from './model/route-tables';
import { PreviewHosts } from './preview-hosts';
import { PortProtocol, ServicePort } from './service-port';
import { claimHost } from './validate/host-claims';
import { checkDnsLabel, checkExternalHost, checkIntegerInRange, checkNoOverlappingHosts, checkLabelKey, checkLabelValue, checkUnique } from './validate/names';
import { ServiceVersion } from './version-workload';

const HTTP_PROTOCOLS: string[] = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB];

/**
 * Properties every release shares: the service, its ports and how clients reach it.
 */
export interface TrafficReleaseProps {
  /**
   * The logical service: the name of its Kubernetes Service, DestinationRule host and the value of
   * the app label on its pods.
   */
  readonly serviceName: string;

  /**
   * The ports of the service, each with an explicit protocol.
   */
  readonly ports: ServicePort[];

  /**
   * Namespace of every generated object.
   *
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;

  /**
   * External hosts that reach the service through the gateway, e.g. `app.example.com`; `*` takes
   * every host the gateway serves (allowed because these hosts are never bound to the mesh).
   *
   * @default - none: the service is reached from inside the mesh only
   */
  readonly hosts?: string[];

  /**
   * The gateway that serves the external hosts.
   *
   * @default - with `hosts`, a Gateway `<service>-gateway` on port 80 for the ingress gateway pods
   */
  readonly gateway?: GatewayBinding;

  /**
   * Whether the release also routes callers inside the mesh (a VirtualService for the service's
   * cluster host). Without it, in-mesh callers reach every pod of the service.
   *
   * @default true
   */
  readonly meshRouting?: boolean;

  /**
   * The pod label that names the application; the Service selects on it alone.
   *
   * @default 'app'
   */
  readonly appLabel?: string;

  /**
   * The pod label that names the version; DestinationRule subsets select on it.
   *
   * @default 'version'
   */
  readonly versionLabel?: string;

  /**
   * Labels added to the metadata of every generated object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the metadata of every generated object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * The Istio networking API version of the generated Istio objects.
   *
   * @default IstioApiVersion.V1
   */
  readonly apiVersion?: IstioApiVersion;
}

/**
 * Declarations a release turns into routes, given by its concrete subclass.
 * @internal
 */
export interface _ReleaseDeclaration {
  readonly versions: ServiceVersion[];
  readonly previewHosts?: PreviewHosts;
}

/**
 * A service released on Istio in several versions: the Kubernetes Service, one workload per
 * version, a DestinationRule subset per version and the VirtualServices that decide who reaches
 * which version. `BlueGreen` and `Canary` are releases; `CookieRoute` adds routes to one.
 */
export abstract class TrafficRelease extends Construct {
  /** The Kubernetes Service (selects on the app label only). */
  public readonly service: kplus.Service;

  /** The DestinationRule with one subset per declared version. */
  public readonly destinationRule: ApiObject;

  /** The Gateway the release created, if it created one. */
  public readonly gateway?: ApiObject;

  /** The VirtualServices, one per host set: mesh, external hosts, each preview host. */
  public readonly virtualServices: ApiObject[];

  /** The Deployments the release created for versions declared with a container. */
  public readonly deployments: kplus.Deployment[];

  /** The service name. */
  public readonly serviceName: string;

  /** The namespace of the generated objects. */
  public readonly namespace: string;

  /** The service's cluster host name, `<service>.<namespace>.svc.cluster.local`. */
  public readonly host: string;

  /** The declared version names, in declaration order. */
  public readonly versionNames: string[];

  /** @internal */
  public readonly _model: ServiceModel;
  private readonly httpRoutes: HttpRouteModel[] = [];
  private readonly tcpRoutes: TcpRouteModel[] = [];
  private tables?: RouteTable[];

  protected constructor(scope: Construct, id: string, props: TrafficReleaseProps, declaration: _ReleaseDeclaration) {
    super(scope, id);
    const path = this.node.path;
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const appLabel = props.appLabel ?? 'app';
    const versionLabel = props.versionLabel ?? 'version';
    checkDnsLabel(path, 'service name', props.serviceName);
    checkDnsLabel(path, 'namespace', namespace);
    checkLabelKey(path, appLabel);
    checkLabelKey(path, versionLabel);
    if (appLabel === versionLabel) {
      throw new Error(`${path}: appLabel and versionLabel are both '${appLabel}': the Service selects on the app label, so it would select a single version and leave the other subsets empty`);
    }
    for (const [key, value] of Object.entries({ ...props.labels })) {
      checkLabelKey(path, key);
      checkLabelValue(path, key, value);
    }

    const versionNames = declaration.versions.map((v) => v.name);
    if (versionNames.length === 0) {
      throw new Error(`${path}: no versions declared: a release needs at least one version`);
    }
    versionNames.forEach((name) => checkDnsLabel(path, 'version name', name));
    checkUnique(path, 'version', versionNames);

    const hosts = props.hosts ?? [];
    hosts.forEach((host) => checkExternalHost(path, host, true));
    checkNoOverlappingHosts(path, hosts);
    const previewHosts = declaration.previewHosts?.resolve(versionNames) ?? {};
    for (const [version, host] of Object.entries(previewHosts)) {
      checkExternalHost(`${path} (preview host of ${version})`, host);
    }
    for (const version of Object.keys(declaration.previewHosts?.hostsByVersion ?? {})) {
      this.requireVersion(version, versionNames, 'preview host');
    }
    checkUnique(path, 'host', [...hosts, ...Object.values(previewHosts)]);

    const gatewayBinding = hosts.length > 0 || Object.keys(previewHosts).length > 0 ? props.gateway ?? GatewayBinding.create() : props.gateway;
    const gatewayName = gatewayBinding?.createOptions?.name ?? `${props.serviceName}-gateway`;
    if (gatewayBinding?.createOptions) {
      checkDnsLabel(path, 'gateway name', gatewayName);
    }
    const gatewayRef = gatewayBinding?.reference ?? (gatewayBinding ? `${namespace}/${gatewayName}` : undefined);

    this.serviceName = props.serviceName;
    this.namespace = namespace;
    this.host = `${props.serviceName}.${namespace}.svc.cluster.local`;
    this.versionNames = versionNames;
    this._model = {
      path,
      name: props.serviceName,
      namespace,
      fqdn: this.host,
      appLabel,
      versionLabel,
      ports: this.portModels(props.ports),
      versions: versionNames.map((name) => ({ name, podLabels: { [appLabel]: props.serviceName, [versionLabel]: name } })),
      externalHosts: hosts,
      previewHosts,
      gateway: gatewayRef,
      meshRouting: props.meshRouting ?? true,
    };

    const metadataLabels = { ...props.labels };
    const annotations = { ...props.annotations };
    const metadata = (name: string) => ({
      name,
      namespace,
      labels: { ...metadataLabels, [appLabel]: props.serviceName },
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    });
    const apiVersion = props.apiVersion ?? IstioApiVersion.V1;

    this.deployments = [];
    declaration.versions.forEach((version, index) => {
      if (version.workload) {
        const context = { path, serviceName: props.serviceName, namespace, metadataLabels, annotations };
        const deployment = applyVersionWorkload(this, context, this._model.versions[index], version.workload);
        if (deployment) {
          this.deployments.push(deployment);
        }
      }
    });

    this.service = new kplus.Service(this, 'Service', {
      metadata: metadata(props.serviceName),
      ports: this._model.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
    });
    this.service.selectLabel(appLabel, props.serviceName);

    this.destinationRule = istioObject(this, 'DestinationRule', DESTINATION_RULE, apiVersion, metadata(props.serviceName), () => destinationRuleSpec(this._model));

    if (gatewayBinding?.createOptions) {
      const options = gatewayBinding.createOptions;
      this.gateway = istioObject(this, 'Gateway', GATEWAY, apiVersion, metadata(gatewayName), () => gatewaySpec({
        hosts: [...hosts, ...Object.values(previewHosts)],
        selector: options.selector ?? { istio: 'ingressgateway' },
        credentialName: options.credentialName,
        httpsRedirect: options.httpsRedirect,
      }));
    }

    // The tables follow from the declaration alone; routes added later only fill them.
    const planned = planRouteTables(this._model, [], []);
    for (const table of planned) {
      table.hosts.forEach((host) => claimHost(this, table.gateways[0] ?? 'mesh', host));
    }
    this.virtualServices = planned.map(({ id: tableId }) => istioObject(this, `VirtualService-${tableId}`, VIRTUAL_SERVICE, apiVersion,
      metadata(`${props.serviceName}-${tableId}`), () => virtualServiceSpec(this._model, this.table(tableId))));
  }

  /**
   * Adds an HTTP route to this release. Routes are ordered most specific first at synthesis.
   * @internal
   */
  public _addHttpRoute(route: HttpRouteModel): void {
    this.httpRoutes.push(route);
    // Planning now reports a route that can never match where it is declared, not at synthesis.
    this.tables = planRouteTables(this._model, this.httpRoutes, this.tcpRoutes);
  }

  /**
   * Adds a TCP route for in-mesh callers.
   * @internal
   */
  public _addTcpRoute(route: TcpRouteModel): void {
    this.tables = undefined;
    this.tcpRoutes.push(route);
  }

  /**
   * The route tables of this release, ordered and checked.
   * @internal
   */
  public _routeTables(): RouteTable[] {
    this.tables = this.tables ?? planRouteTables(this._model, this.httpRoutes, this.tcpRoutes);
    return this.tables;
  }

  /**
   * Throws unless `version` is one of `versionNames`.
   * @internal
   */
  public _requireVersion(version: string, what: string): void {
    this.requireVersion(version, this.versionNames, what);
  }

  /** @internal */
  public get _httpPorts(): PortModel[] {
    return this._model.ports.filter((p) => p.http);
  }

  /** @internal */
  public get _tcpPorts(): PortModel[] {
    return this._model.ports.filter((p) => !p.http);
  }

  private requireVersion(version: string, versionNames: string[], what: string): void {
    if (!versionNames.includes(version)) {
      throw new Error(`${this.node.path}: unknown ${what} version '${version}': declared versions are ${versionNames.map((v) => `'${v}'`).join(', ')}`);
    }
  }

  private table(id: string): RouteTable {
    const table = this._routeTables().find((t) => t.id === id);
    if (!table) {
      throw new Error(`${this.node.path}: internal error: no route table '${id}'`);
    }
    return table;
  }

  private portModels(ports: ServicePort[]): PortModel[] {
    const path = this.node.path;
    if (!Array.isArray(ports) || ports.length === 0) {
      throw new Error(`${path}: no ports declared: a release needs at least one port with a protocol`);
    }
    const protocols = Object.values(PortProtocol) as string[];
    const models = ports.map((p) => {
      checkIntegerInRange(path, 'port', p.port, 1, 65535);
      if (!protocols.includes(p.protocol)) {
        throw new Error(`${path}: port ${p.port} has protocol '${p.protocol}': every port needs an explicit protocol, one of ${protocols.join(', ')}`);
      }
      const targetPort = p.targetPort ?? p.port;
      checkIntegerInRange(path, 'targetPort', targetPort, 1, 65535);
      const name = p.name ?? `${p.protocol}-${p.port}`;
      checkDnsLabel(path, 'port name', name);
      if (name !== p.protocol && !name.startsWith(`${p.protocol}-`)) {
        throw new Error(`${path}: port name '${name}' does not tell Istio its protocol: it must be '${p.protocol}' or start with '${p.protocol}-'`);
      }
      return { port: p.port, targetPort, name, protocol: p.protocol, http: HTTP_PROTOCOLS.includes(p.protocol) };
    });
    checkUnique(path, 'port', models.map((p) => String(p.port)));
    checkUnique(path, 'port name', models.map((p) => p.name));
    return models;
  }
}
