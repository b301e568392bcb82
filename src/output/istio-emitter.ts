import { Construct } from 'constructs';
import { IstioApiVersion } from '../api-version';
import { EmittedRelease, NO_OBJECTS, ReleaseEmitter, ReleaseInput } from './release-emitter';
import { rejectRoutingWithoutRoutes } from './static-checks';
import { createGateway } from '../emit/gateway-object';
import { StaticRouting } from '../emit/static-release';
import { emitVersionWorkloads } from '../emit/workloads';

/**
 * The release as static Istio configuration: a workload per version, the Service, a DestinationRule
 * with a subset per version, an Istio Gateway when the release creates one, and VirtualServices.
 */
export class IstioEmitter implements ReleaseEmitter {
  public readonly name = 'ReleaseOutput.istio()';

  public emit(scope: Construct, input: ReleaseInput): EmittedRelease {
    const { model, strategy, metadata } = input;
    rejectRoutingWithoutRoutes(model, strategy, 'VirtualService');
    const deployments = emitVersionWorkloads(scope, input.workloads, model.versions, input.versions);
    const apiVersion = input.apiVersion ?? IstioApiVersion.V1;
    const gateway = createGateway(scope, input.checked, apiVersion, metadata);
    const routing = new StaticRouting(scope, model, strategy, apiVersion, metadata);
    return {
      objects: {
        ...NO_OBJECTS,
        service: routing.service,
        destinationRule: routing.destinationRule,
        gateway,
        virtualServices: routing.virtualServices,
        deployments,
      },
      addHttpRoute: (route) => routing.addHttpRoute(route),
    };
  }
}
