import { FlaggerAnalysisProps } from './flagger-analysis';
import { GatewayApiOutputOptions } from './gateway-api-output-options';
import { FlaggerEmitter } from './output/flagger-emitter';
import { GatewayApiEmitter } from './output/gateway-api-emitter';
import { IstioEmitter } from './output/istio-emitter';
import { ReleaseEmitter } from './output/release-emitter';
import { requireObject } from './validate/prop-types';

/**
 * The API a release is written as. The release declaration (versions, weights, hosts, opt-in
 * routes) is the same for each; what cannot be expressed in the chosen API is a synth error that
 * names the feature and the alternative.
 */
export class ReleaseOutput {
  /**
   * Istio's own traffic API: a DestinationRule with a subset per version and VirtualServices (for
   * the mesh, the gateway and each preview host). Every feature of the library, including version
   * affinity by caller labels. For sidecar mode.
   */
  public static istio(): ReleaseOutput {
    return new ReleaseOutput(new IstioEmitter());
  }

  /**
   * The Kubernetes Gateway API as Istio implements it: a Service per version, a `Gateway` of class
   * `istio` for external hosts, `HTTPRoute`s with a Gateway parent (ingress) and a Service parent
   * (mesh callers, GAMMA), and `TCPRoute`s for TCP ports (experimental channel). Istio's recommended
   * API, and the one that configures waypoints in ambient mode. Callers cannot be selected by
   * their labels, so `versionAffinity` is rejected.
   */
  public static gatewayApi(options: GatewayApiOutputOptions = {}): ReleaseOutput {
    requireObject('ReleaseOutput.gatewayApi', 'options', options);
    return new ReleaseOutput(new GatewayApiEmitter(options));
  }

  /**
   * Hands the rollout to Flagger: the library writes the workload Flagger watches and a Flagger
   * `Canary` with this analysis instead of static routes (see `FlaggerAnalysisProps`).
   */
  public static flagger(analysis: FlaggerAnalysisProps = {}): ReleaseOutput {
    requireObject('ReleaseOutput.flagger', 'analysis', analysis);
    return new ReleaseOutput(new FlaggerEmitter(analysis));
  }

  private constructor(
    /** @internal */
    public readonly _emitter: ReleaseEmitter,
  ) {}
}
