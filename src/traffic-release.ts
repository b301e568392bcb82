import { ApiObject, Chart } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IstioApiVersion } from './api-version';
import { metadataFactory } from './emit/object-metadata';
import { GatewayBinding } from './gateway-binding';
import { HttpRouteModel, ServiceModel, StrategyModel } from './model/release-model';
import { buildServiceModel, requireLiveVersion } from './model/service-model';
import { FlaggerEmitter } from './output/flagger-emitter';
import { EmittedRelease, ReleaseObjects } from './output/release-emitter';
import { PreviewHosts } from './preview-hosts';
import { ReleaseOutput } from './release-output';
import { AllowedCaller } from './security/allowed-caller';
import { MutualTls } from './security/mutual-tls';
import { ReleaseIdentity } from './security/release-identity';
import { declareReleaseSecurity, ReleaseSecurity } from './security/release-security';
import { WorkloadIdentity } from './security/workload-identity';
import { ServicePort } from './service-port';
import { requireGatewayHostSharing } from './validate/host-sharing';
import { requireEnumValue, requireInstance, requireObject, requireStringMap } from './validate/prop-types';
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
   * Mounts the release under a path prefix on its external and preview hosts, so that several
   * releases can share one host (`shop.example.com/api` to one, everything else to another). Only
   * requests whose path is the prefix or lies under it reach the release through the gateway, matched
   * by whole segments like `PathRoute.pathPrefix`: `/api` takes `/api` and `/api/...`, never `/apis`.
   * In-mesh callers are not affected.
   *
   * Paths in the release's own matches (`match`, `forceCanary`, `PathRoute`, `CookieRoute`) are the
   * paths the service receives: under the prefix, or under `rewritePrefix` when it is set. Releases on
   * one host and gateway pods must have disjoint prefixes, and at most one of them may leave
   * `pathPrefix` out (it takes the rest); overlapping claims are synth-time errors.
   *
   * @default - the release takes every path of its hosts
   */
  readonly pathPrefix?: string;

  /**
   * Replaces `pathPrefix` before requests reach the service, by whole segments: with `/`,
   * `/api/users` arrives as `/users` and `/api` as `/`. Needs `pathPrefix`.
   *
   * @default - the path is forwarded unchanged (the service receives `/api/...`)
   */
  readonly rewritePrefix?: string;

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
   * The API the release is written as: Istio VirtualServices and DestinationRules, the Kubernetes
   * Gateway API (for ambient mode or a platform standardised on it), or a Flagger Canary that moves
   * the traffic at runtime. See `ReleaseOutput`.
   *
   * @default ReleaseOutput.istio()
   */
  readonly output?: ReleaseOutput;
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
  readonly emitted: EmittedRelease;
  readonly security: ReleaseSecurity;
}

/**
 * A service released on Istio in several versions: the Kubernetes Service, one workload per
 * version and the routes that decide who reaches which version, written as Istio VirtualServices
 * and DestinationRules, as Gateway API routes, or as a Flagger Canary that moves the traffic (see
 * `ReleaseOutput`). `BlueGreen` and `Canary` are releases; `CookieRoute` adds routes to one.
 */
export abstract class TrafficRelease extends Construct {
  private released?: Released;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    requireUniqueObjects(this);
    requireGatewayHostSharing(this);
  }

  /** The Kubernetes Service (selects on the app label only); undefined when Flagger creates the Services. */
  public get service(): ApiObject | undefined {
    return this.objects.service;
  }

  /** The Services selecting one version each (Gateway API output, which has no subsets); else empty. */
  public get versionServices(): ApiObject[] {
    return this.objects.versionServices;
  }

  /** The DestinationRule with one subset per declared version (Istio output); else undefined. */
  public get destinationRule(): ApiObject | undefined {
    return this.objects.destinationRule;
  }

  /** The Gateway the release created (an Istio or a Gateway API Gateway), if it created one. */
  public get gateway(): ApiObject | undefined {
    return this.objects.gateway;
  }

  /** The VirtualServices, one per host set (mesh, external hosts, each preview host); Istio output only. */
  public get virtualServices(): ApiObject[] {
    return this.objects.virtualServices;
  }

  /** The HTTPRoutes (Gateway API output): mesh, ingress, each preview host and the HTTPS redirect. */
  public get httpRoutes(): ApiObject[] {
    return this.objects.httpRoutes;
  }

  /** The TCPRoutes, one per TCP port (Gateway API output with the experimental channel). */
  public get tcpRoutes(): ApiObject[] {
    return this.objects.tcpRoutes;
  }

  /** The ReferenceGrants the release wrote (Gateway API output with a certificate in another namespace). */
  public get referenceGrants(): ApiObject[] {
    return this.objects.referenceGrants;
  }

  /** The ambient waypoint, when this release wrote it (another release of the app may own a shared one). */
  public get waypoint(): ApiObject | undefined {
    return this.objects.waypoint;
  }

  /** The Deployments the release created for versions declared with a container. */
  public get deployments(): kplus.Deployment[] {
    return this.objects.deployments;
  }

  /** The Flagger Canary, when the rollout is handed to Flagger. */
  public get flaggerCanary(): ApiObject | undefined {
    return this.objects.flaggerCanary;
  }

  /** The Flagger MetricTemplates of custom metrics. */
  public get metricTemplates(): ApiObject[] {
    return this.objects.metricTemplates;
  }

  /** The ServiceAccounts the release created for its pods (see `identity`). */
  public get serviceAccounts(): ApiObject[] {
    return this.state.security.serviceAccounts ?? [];
  }

  /** The PeerAuthentication, when the release declares `mtls`. */
  public get peerAuthentication(): ApiObject | undefined {
    return this.state.security.peerAuthentication;
  }

  /** The AuthorizationPolicies of `allowedCallers`: one, or one per version with `sameVersionCallersOnly`. */
  public get authorizationPolicies(): ApiObject[] {
    return this.state.security.authorizationPolicies ?? [];
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
    return this.state.security.identity;
  }

  /**
   * Adds an HTTP route to this release's main hosts. Routes are ordered most specific first.
   * @internal
   */
  public _addHttpRoute(route: HttpRouteModel): void {
    this.state.emitted.addHttpRoute(route);
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
    if ((props as { flagger?: unknown }).flagger !== undefined) {
      throw new Error(`${path}: the flagger prop was replaced by the output prop: write output: ReleaseOutput.flagger({ ... }) with the same analysis`);
    }
    requireInstance(path, 'output', props.output, ReleaseOutput, 'a ReleaseOutput (ReleaseOutput.istio, gatewayApi or flagger)', true);
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const checked = buildServiceModel({ ...props, path, namespace, versions: declaration.versions, previewHosts: declaration.previewHosts });
    const model = checked.model;
    const strategy = declaration.strategy(model);
    const labels = { ...props.labels };
    const annotations = { ...props.annotations };
    const metadata = metadataFactory(model, labels, annotations);
    const targetPorts = [...new Set(model.ports.map((p) => p.targetPort))];
    const workloads = { path, targetPorts, serviceName: model.name, namespace, metadataLabels: labels, annotations };
    const output = props.output ?? ReleaseOutput.istio();
    const emitted = output._emitter.emit(this, {
      checked, model, strategy, versions: declaration.versions, apiVersion: props.apiVersion, metadata, workloads,
    });
    const createdDeployments = new Map<string, kplus.Deployment>();
    for (const deployment of emitted.objects.deployments) {
      const version = deployment.podMetadata.getLabel(model.versionLabel);
      if (version !== undefined) {
        createdDeployments.set(version, deployment);
      }
    }
    const security = declareReleaseSecurity(this, { ...props, sameVersionCallersOnly: declaration.sameVersionCallersOnly }, {
      model,
      strategy,
      versions: declaration.versions,
      createdDeployments,
      apiVersion: props.apiVersion ?? IstioApiVersion.V1,
      metadata,
      flagger: output._emitter instanceof FlaggerEmitter,
    });
    this.released = { model, emitted, security };
  }

  /**
   * Checks the release's props before anything else reads them.
   * @internal
   */
  protected _checkProps(props: TrafficReleaseProps): void {
    requireObject(this.node.path, 'props', props);
  }

  private get objects(): ReleaseObjects {
    return this.state.emitted.objects;
  }

  private get state(): Released {
    if (!this.released) {
      throw new Error(`${this.node.path}: internal error: the release was not declared`);
    }
    return this.released;
  }
}
