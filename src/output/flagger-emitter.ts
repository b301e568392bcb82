import { Construct } from 'constructs';
import { IstioApiVersion } from '../api-version';
import { EmittedRelease, NO_OBJECTS, ReleaseEmitter, ReleaseInput } from './release-emitter';
import { emitFlaggerRelease } from '../emit/flagger-release';
import { createGateway } from '../emit/gateway-object';
import { FlaggerAnalysisProps } from '../flagger-analysis';

/**
 * The release handed to Flagger: the workload Flagger watches and a Flagger Canary with the
 * analysis; Flagger writes the Services, DestinationRules and VirtualServices at runtime.
 */
export class FlaggerEmitter implements ReleaseEmitter {
  public readonly name = 'ReleaseOutput.flagger()';

  constructor(private readonly analysis: FlaggerAnalysisProps) {}

  public emit(scope: Construct, input: ReleaseInput): EmittedRelease {
    const { model, metadata } = input;
    if (model.mount) {
      // Flagger writes one VirtualService for the gateway and the mesh, and its service.match applies to both.
      throw new Error(`${model.path}: pathPrefix '${model.mount.prefix}' cannot be handed to Flagger: Flagger writes one VirtualService for the gateway and the mesh from the Canary's service settings, so a mount on the gateway hosts alone cannot be expressed; use ReleaseOutput.istio() or ReleaseOutput.gatewayApi(), or give the release a host of its own`);
    }
    const gateway = createGateway(scope, input.checked, input.apiVersion ?? IstioApiVersion.V1, metadata);
    const flagger = emitFlaggerRelease(scope, model, input.strategy, input.versions, this.analysis, input.workloads, metadata);
    return {
      objects: {
        ...NO_OBJECTS,
        gateway,
        flaggerCanary: flagger.canary,
        metricTemplates: flagger.metricTemplates,
        deployments: flagger.workload?.deployment ? [flagger.workload.deployment] : [],
      },
      addHttpRoute: (route) => {
        throw new Error(`${route.owner}: cannot add route '${route.description}' to ${model.path}: its rollout is handed to Flagger, which owns the routes; use the release's forceCanary (A/B match) instead`);
      },
    };
  }
}
