import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IstioApiVersion } from './api-version';
import { emitFlaggerRelease } from './emit/flagger-release';
import { createGateway } from './emit/gateway-object';
import { metadataFactory } from './emit/object-metadata';
import { StaticRouting } from './emit/static-release';
import { applyVersionWorkload } from './emit/workloads';
import { FlaggerAnalysisProps } from './flagger-analysis';
import { GatewayBinding } from './gateway-binding';
import { HttpRouteModel, ServiceModel, StrategyModel } from './model/release-model';
import { buildServiceModel, requireLiveVersion } from './model/service-model';
import { PreviewHosts } from './preview-hosts';
import { AllowedCaller } from './security/allowed-caller';
import { MutualTls } from './security/mutual-tls';
import { ReleaseIdentity } from './security/release-identity';
import { declareReleaseSecurity, ReleaseSecurity, SecurityContext } from './security/release-security';
import { WorkloadIdentity } from './security/workload-identity';
import { ServicePort } from './service-port';
import { requireEnumValue, requireObject, requireStringMap } from './validate/prop-types';
import { requireUniqueObjects } from './validate/unique-objects';
import { ServiceVersion } from './version-workload';

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
   * The API version of the generated Istio objects (`networking.istio.io`, and `security.istio.io`
   * for `mtls` and `allowedCallers`).
   *
   * @default IstioApiVersion.V1
   */
  readonly apiVersion?: IstioApiVersion;

  /**
   * Hands the rollout to Flagger: the library then writes the workload Flagger watches and a
   * Flagger `Canary` with this analysis instead of static routes (see `FlaggerAnalysisProps`).
   *
   * @default - static routing: the traffic split is exactly what the release declares
   */
  readonly flagger?: FlaggerAnalysisProps;

  /**
   * Mutual TLS the release's pods require: a `PeerAuthentication` selecting them by the app label.
   * `MutualTls.strict()` rejects callers without a sidecar; ports that must stay plain are listed in
   * its options.
   *
   * @default - none: the namespace's or mesh's PeerAuthentication applies (Istio's default is PERMISSIVE)
   */
  readonly mtls?: MutualTls;

  /**
   * Who may call the release's pods. The release writes an `AuthorizationPolicy` (ALLOW, selecting
   * the pods by the app label) that admits exactly these callers by their mTLS identity; every other
   * request gets 403. The list must admit the release's own gateway when it has hosts.
   *
   * @default - no AuthorizationPolicy: every caller is allowed (unless other policies say otherwise)
   */
  readonly allowedCallers?: AllowedCaller[];

  /**
   * The service accounts the release's pods run as, i.e. their identity in the mesh. A release that
   * other releases name in their `allowedCallers` needs one.
   *
   * @default - the workloads' own: created Deployments run as the namespace's `default` service account
   */
  readonly identity?: WorkloadIdentity;
}


/**
 * What a concrete release declares beyond the shared props.
 * @internal
 */
export interface _ReleaseDeclaration {
  readonly versions: ServiceVersion[];
  readonly previewHosts?: PreviewHosts;
  /** Builds the strategy from the checked service model (its path names the release in errors). */
  readonly strategy: (model: ServiceModel) => StrategyModel;
  /** Each version admits only release callers of its own version. */
  readonly sameVersionCallersOnly?: boolean;
}

interface Released {
  readonly model: ServiceModel;
  readonly gateway?: ApiObject;
  readonly deployments: kplus.Deployment[];
  readonly routing?: StaticRouting;
  readonly flaggerCanary?: ApiObject;
  readonly metricTemplates: ApiObject[];
  readonly security?: ReleaseSecurity;
}

/**
 * A service released on Istio in several versions: the Kubernetes Service, one workload per
 * version, a DestinationRule subset per version and the VirtualServices that decide who reaches
 * which version; or, with the `flagger` option, the workload and Flagger Canary that let Flagger
 * move the traffic. `BlueGreen` and `Canary` are releases; `CookieRoute` adds routes to one.
 */
export abstract class TrafficRelease extends Construct {
  private released?: Released;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    requireUniqueObjects(this);
  }

  /** The Kubernetes Service (selects on the app label only); undefined when Flagger creates the Services. */
  public get service(): ApiObject | undefined {
    return this.state.routing?.service;
  }

  /** The DestinationRule with one subset per declared version; undefined when Flagger creates it. */
  public get destinationRule(): ApiObject | undefined {
    return this.state.routing?.destinationRule;
  }

  /** The Gateway the release created, if it created one. */
  public get gateway(): ApiObject | undefined {
    return this.state.gateway;
  }

  /** The VirtualServices, one per host set (mesh, external hosts, each preview host); none with Flagger. */
  public get virtualServices(): ApiObject[] {
    return this.state.routing?.virtualServices ?? [];
  }

  /** The Deployments the release created for versions declared with a container. */
  public get deployments(): kplus.Deployment[] {
    return this.state.deployments;
  }

  /** The Flagger Canary, when the rollout is handed to Flagger. */
  public get flaggerCanary(): ApiObject | undefined {
    return this.state.flaggerCanary;
  }

  /** The Flagger MetricTemplates of custom metrics. */
  public get metricTemplates(): ApiObject[] {
    return this.state.metricTemplates;
  }

  /** The ServiceAccounts the release created for its pods (see `identity`). */
  public get serviceAccounts(): ApiObject[] {
    return this.state.security?.serviceAccounts ?? [];
  }

  /** The PeerAuthentication, when the release declares `mtls`. */
  public get peerAuthentication(): ApiObject | undefined {
    return this.state.security?.peerAuthentication;
  }

  /** The AuthorizationPolicies of `allowedCallers`: one, or one per version with `sameVersionCallersOnly`. */
  public get authorizationPolicies(): ApiObject[] {
    return this.state.security?.authorizationPolicies ?? [];
  }

  /** The service name. */
  public get serviceName(): string {
    return this.state.model.name;
  }

  /** The namespace of the generated objects. */
  public get namespace(): string {
    return this.state.model.namespace;
  }

  /** The service's cluster host name, `<service>.<namespace>.svc.cluster.local`. */
  public get host(): string {
    return this.state.model.fqdn;
  }

  /** The declared version names, in declaration order. */
  public get versionNames(): string[] {
    return this.state.model.versions.map((v) => v.name);
  }

  /** @internal */
  public get _model(): ServiceModel {
    return this.state.model;
  }

  /**
   * The service accounts of the release's pods, when it declares an identity.
   * @internal
   */
  public get _identity(): ReleaseIdentity | undefined {
    return this.state.security?.identity;
  }

  /**
   * Adds an HTTP route to this release's main hosts. Routes are ordered most specific first.
   * @internal
   */
  public _addHttpRoute(route: HttpRouteModel): void {
    if (!this.state.routing) {
      throw new Error(`${route.owner}: cannot add route '${route.description}' to ${this.node.path}: its rollout is handed to Flagger, which owns the routes; use the release's forceCanary (A/B match) instead`);
    }
    this.state.routing.addHttpRoute(route);
  }

  /**
   * Throws, naming the construct at `where`, unless `version` is declared and not retired.
   * @internal
   */
  public _requireVersion(version: string, what: string, where: string): void {
    requireLiveVersion(this.state.model, version, what, where);
  }

  /**
   * Checks the declaration and writes the release. Called once by each concrete release.
   * @internal
   */
  protected _release(props: TrafficReleaseProps, declaration: _ReleaseDeclaration): void {
    const path = this.node.path;
    requireStringMap(path, 'annotations', props.annotations, true);
    requireEnumValue(path, 'apiVersion', props.apiVersion, Object.values(IstioApiVersion), true);
    if (props.flagger !== undefined) {
      requireObject(path, 'flagger', props.flagger);
    }
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const checked = buildServiceModel({ ...props, path, namespace, versions: declaration.versions, previewHosts: declaration.previewHosts });
    const model = checked.model;
    const strategy = declaration.strategy(model);
    const apiVersion = props.apiVersion ?? IstioApiVersion.V1;
    const labels = { ...props.labels };
    const annotations = { ...props.annotations };
    const metadata = metadataFactory(model, labels, annotations);
    const targetPorts = [...new Set(model.ports.map((p) => p.targetPort))];
    const context = { path, targetPorts, serviceName: model.name, namespace, metadataLabels: labels, annotations };
    const secure = (security: Omit<SecurityContext, 'model' | 'strategy' | 'apiVersion' | 'metadata'>) => declareReleaseSecurity(this,
      { ...props, sameVersionCallersOnly: declaration.sameVersionCallersOnly }, { ...security, model, strategy, apiVersion, metadata });
    if (props.flagger) {
      secure({ versions: declaration.versions, createdDeployments: new Map(), flagger: true });
      const gateway = createGateway(this, checked, apiVersion, metadata);
      const flagger = emitFlaggerRelease(this, model, strategy, declaration.versions, props.flagger, context, metadata);
      this.released = {
        model,
        gateway,
        flaggerCanary: flagger.canary,
        metricTemplates: flagger.metricTemplates,
        deployments: flagger.workload?.deployment ? [flagger.workload.deployment] : [],
      };
      return;
    }

    rejectRoutingWithoutVirtualService(model, strategy);
    const deployments: kplus.Deployment[] = [];
    const createdDeployments = new Map<string, kplus.Deployment>();
    declaration.versions.forEach((version, index) => {
      const deployment = version.workload && applyVersionWorkload(this, context, model.versions[index], version.workload).deployment;
      if (deployment) {
        deployments.push(deployment);
        createdDeployments.set(version.name, deployment);
      }
    });
    const gateway = createGateway(this, checked, apiVersion, metadata);
    const routing = new StaticRouting(this, model, strategy, apiVersion, metadata);
    const security = secure({ versions: declaration.versions, createdDeployments, flagger: false });
    this.released = { model, gateway, deployments, routing, metricTemplates: [], security };
  }

  /**
   * Checks the release's props before anything else reads them.
   * @internal
   */
  protected _checkProps(props: TrafficReleaseProps): void {
    requireObject(this.node.path, 'props', props);
  }

  private get state(): Released {
    if (!this.released) {
      throw new Error(`${this.node.path}: internal error: the release was not declared`);
    }
    return this.released;
  }
}

/**
 * Traffic choices take effect only through VirtualServices: without any (no hosts and
 * meshRouting: false) every caller reaches every pod of the Service, whatever the release declares.
 */
function rejectRoutingWithoutVirtualService(model: ServiceModel, strategy: StrategyModel): void {
  const noVirtualService = !model.meshRouting && model.externalHosts.length === 0;
  const ignored: string[] = [];
  if (strategy.kind === 'canary') {
    ignored.push(`canaryWeight ${strategy.weight}`);
  } else {
    if (strategy.activeVersion !== undefined && noVirtualService) {
      ignored.push(`activeVersion '${strategy.activeVersion}'`);
    }
    if (strategy.versionAffinity && !model.meshRouting) {
      // Affinity selects in-mesh callers, so it needs the mesh VirtualService even with hosts.
      throw new Error(`${model.path}: versionAffinity needs the mesh VirtualService, but meshRouting is false: in-mesh callers would reach every version; remove meshRouting: false or versionAffinity`);
    }
  }
  if (noVirtualService && ignored.length > 0) {
    throw new Error(`${model.path}: ${ignored.join(' and ')} would have no effect: the release writes no VirtualService (meshRouting: false and no hosts), so callers reach every pod of the Service; give the release hosts or leave meshRouting on`);
  }
}
