import { Construct } from 'constructs';
import { EmittedRelease, NO_OBJECTS, ReleaseEmitter, ReleaseInput } from './release-emitter';
import { rejectRoutingWithoutRoutes } from './static-checks';
import { emitVersionWorkloads } from '../emit/workloads';
import { setUpAmbient } from '../gateway-api/ambient';
import { GatewayApiRouting } from '../gateway-api/gateway-api-routing';
import { GatewayApiOutputOptions } from '../gateway-api-output-options';
import { StrategyModel } from '../model/release-model';
import { checkDnsLabel } from '../validate/names';
import { requireBoolean, requireString } from '../validate/prop-types';

/**
 * The release as Kubernetes Gateway API objects (docs/gateway-api-semantics.md): a workload and a
 * Service per version, the main Service, a Gateway of class `istio` when the release creates one,
 * HTTPRoutes for the gateway and for mesh callers, TCPRoutes for TCP ports, and in ambient mode
 * the waypoint and the labels that make it apply the mesh routes.
 */
export class GatewayApiEmitter implements ReleaseEmitter {
  public readonly name = 'ReleaseOutput.gatewayApi()';

  constructor(private readonly options: GatewayApiOutputOptions) {}

  public emit(scope: Construct, input: ReleaseInput): EmittedRelease {
    const { model, strategy } = input;
    this.rejectInexpressible(input);
    rejectRoutingWithoutRoutes(model, strategy, 'HTTPRoute');
    const deployments = emitVersionWorkloads(scope, input.workloads, model.versions, input.versions);
    const ambient = this.options.ambient !== undefined
      ? setUpAmbient(scope, model.path, model.namespace, this.options.ambient, input.metadata)
      : { serviceLabels: {} };
    const routing = new GatewayApiRouting(scope, {
      checked: input.checked,
      strategy,
      metadata: input.metadata,
      certificateNamespace: this.options.certificateNamespace !== model.namespace ? this.options.certificateNamespace : undefined,
      serviceLabels: ambient.serviceLabels,
    });
    return {
      objects: {
        ...NO_OBJECTS,
        service: routing.service,
        versionServices: routing.versionServices,
        gateway: routing.gateway,
        httpRoutes: routing.httpRoutes,
        tcpRoutes: routing.tcpRoutes,
        referenceGrants: routing.referenceGrants,
        waypoint: ambient.waypoint,
        deployments,
      },
      addHttpRoute: (route) => routing.addHttpRoute(route),
    };
  }

  /**
   * What Gateway API cannot express is an error that names the feature and the alternative
   * (docs/gateway-api-semantics.md §7), and so is a setting the output would ignore.
   */
  private rejectInexpressible(input: ReleaseInput): void {
    const { model, strategy } = input;
    const path = model.path;
    const options = this.options;
    requireBoolean(path, 'experimentalChannel', options.experimentalChannel, true);
    requireString(path, 'certificateNamespace', options.certificateNamespace, true);
    rejectVersionAffinity(path, strategy);
    if (input.apiVersion !== undefined) {
      throw new Error(`${path}: apiVersion '${input.apiVersion}' sets the version of Istio networking objects, but ReleaseOutput.gatewayApi() writes none: remove apiVersion`);
    }
    const created = input.checked.gatewayToCreate?.binding.createOptions;
    if (created?.selector !== undefined) {
      throw new Error(`${path}: gateway selector ${JSON.stringify(created.selector)} has no Gateway API equivalent: istiod deploys the pods of a Gateway API Gateway itself (class istio); remove selector, or bind to an existing Gateway with GatewayBinding.fromReference`);
    }
    if (options.certificateNamespace !== undefined) {
      checkDnsLabel(path, 'certificateNamespace', options.certificateNamespace);
      if (created?.credentialName === undefined) {
        throw new Error(`${path}: certificateNamespace '${options.certificateNamespace}' would have no effect: the release creates no Gateway with a credentialName; remove certificateNamespace or set GatewayBinding.create({ credentialName })`);
      }
    }
    const tcpPorts = model.ports.filter((p) => !p.http);
    if (tcpPorts.length > 0 && model.meshRouting && !options.experimentalChannel) {
      throw new Error(`${path}: ports ${tcpPorts.map((p) => `${p.port}/${p.protocol}`).join(', ')} need a TCPRoute, which exists only in the experimental Gateway API channel and which istiod reads only with PILOT_ENABLE_ALPHA_GATEWAY_API=true: install the experimental CRDs, set that flag and pass experimentalChannel: true, or use ReleaseOutput.istio()`);
    }
    if (options.ambient !== undefined && !model.meshRouting) {
      throw new Error(`${path}: ambient options would have no effect: with meshRouting: false the release writes no mesh routes for a waypoint to apply; remove ambient or meshRouting: false`);
    }
  }
}

/**
 * No Gateway API route selects callers by their labels: an HTTPRouteMatch has only path, headers,
 * query parameters and method, and TCPRoute has no matches at all (docs/gateway-api-semantics.md
 * §5.5, §7).
 */
function rejectVersionAffinity(path: string, strategy: StrategyModel): void {
  if (strategy.kind === 'blue-green' && strategy.versionAffinity) {
    throw new Error(`${path}: versionAffinity cannot be written as Gateway API: no Gateway API route selects callers by their labels (Istio's sourceLabels), for HTTP or TCP; use ReleaseOutput.istio() in sidecar mode, or have callers send their version in a cookie and add a CookieRoute per version`);
  }
}
