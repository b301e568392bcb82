import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IstioApiVersion } from '../api-version';
import { MetadataFactory } from '../emit/object-metadata';
import { WorkloadContext } from '../emit/workloads';
import { HttpRouteModel, ServiceModel, StrategyModel } from '../model/release-model';
import { CheckedService } from '../model/service-model';
import { ServiceVersion } from '../version-workload';

/** Everything an output reads: the checked declaration of one release. */
export interface ReleaseInput {
  readonly checked: CheckedService;
  readonly model: ServiceModel;
  readonly strategy: StrategyModel;
  readonly versions: ServiceVersion[];
  /** The Istio API version as the user set it (undefined: not set). */
  readonly apiVersion?: IstioApiVersion;
  readonly metadata: MetadataFactory;
  readonly workloads: WorkloadContext;
}

/** The objects an output wrote; each output fills the kinds of its API and leaves the rest empty. */
export interface ReleaseObjects {
  readonly service?: ApiObject;
  readonly versionServices: ApiObject[];
  readonly destinationRule?: ApiObject;
  readonly gateway?: ApiObject;
  readonly virtualServices: ApiObject[];
  readonly httpRoutes: ApiObject[];
  readonly tcpRoutes: ApiObject[];
  readonly referenceGrants: ApiObject[];
  readonly waypoint?: ApiObject;
  readonly deployments: kplus.Deployment[];
  readonly flaggerCanary?: ApiObject;
  readonly metricTemplates: ApiObject[];
}

/** What an output leaves behind: its objects and a way to add the routes declared later. */
export interface EmittedRelease {
  readonly objects: ReleaseObjects;
  /** Adds an opt-in route (CookieRoute, PathRoute); throws where the output cannot carry it. */
  addHttpRoute(route: HttpRouteModel): void;
}

/** One API a release can be written as (Istio, Gateway API, Flagger): one implementation each. */
export interface ReleaseEmitter {
  /** The output's name in messages, e.g. `ReleaseOutput.gatewayApi()`. */
  readonly name: string;
  emit(scope: Construct, input: ReleaseInput): EmittedRelease;
}

/** A release's objects with every list empty, for outputs to fill in. */
export const NO_OBJECTS: ReleaseObjects = {
  versionServices: [],
  virtualServices: [],
  httpRoutes: [],
  tcpRoutes: [],
  referenceGrants: [],
  deployments: [],
  metricTemplates: [],
};
