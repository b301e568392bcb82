import { isGatewayManaged, isIstioControlPlane } from '../../semantics/analysis-exemptions';
import { isExternalName } from '../../semantics/external-name';
import { PortProtocol } from '../../semantics/protocols';
import { AnalysisContext } from '../analysis-context';

const PROTOCOL_PREFIXES = 'http, http2, http_proxy, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp';

/**
 * IST0118 as istiod's `PortNameAnalyzer` (`analyzers/service/portname.go`) reports it: a Service
 * port whose `appProtocol` (read alone when set) or else name declares no protocol, so Envoy sniffs
 * it (and server-first protocols such as MySQL hang). Istio's control-plane Services (`istio` or
 * `release: istio` labels) and Services istiod creates for Gateway API Gateways are exempt; system
 * namespaces are never analyzed.
 */
export function checkServicePorts(ctx: AnalysisContext): void {
  for (const svc of ctx.index.services.values()) {
    // istiod reports the ports of ExternalName Services as IST0150 instead
    if (isIstioControlPlane(svc) || isGatewayManaged(svc) || isExternalName(svc)) {
      continue;
    }
    svc.ports.forEach((port, i) => {
      if (port.protocol !== PortProtocol.SNIFFED) {
        return;
      }
      const declared = port.appProtocol !== undefined ? `appProtocol '${port.appProtocol}' (istio then ignores the name)`
        : `${port.name ? `name '${port.name}'` : 'no name'} and no appProtocol`;
      ctx.report('IST0118', svc, `spec.ports[${i}]`, `port ${port.port} has ${declared}, so istio guesses its protocol by sniffing: it must be one of ${PROTOCOL_PREFIXES}, optionally followed by '-<suffix>'`,
        `name the port '<protocol>-${port.port}', e.g. 'http-${port.port}' or 'tcp-${port.port}', or set appProtocol`);
    });
  }
}
