import { isExternalName } from '../../semantics/external-name';
import { ROOT_NAMESPACE } from '../../semantics/names';
import { PortProtocol } from '../../semantics/protocols';
import { AnalysisContext } from '../analysis-context';

const PROTOCOL_PREFIXES = 'http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp';

/**
 * IST0118: a Service port whose name and appProtocol declare no protocol, so Envoy sniffs it (and
 * server-first protocols such as MySQL hang). Istio skips its own control-plane namespace.
 */
export function checkServicePorts(ctx: AnalysisContext): void {
  for (const svc of ctx.index.services.values()) {
    // ExternalName Services get IST0150 instead
    if (svc.namespace === ROOT_NAMESPACE || isExternalName(svc)) {
      continue;
    }
    svc.ports.forEach((port, i) => {
      if (port.protocol !== PortProtocol.SNIFFED) {
        return;
      }
      const named = port.name ? `name '${port.name}'` : 'no name';
      ctx.report('IST0118', svc, `spec.ports[${i}]`, `port ${port.port} has ${named} and no appProtocol, so istio guesses its protocol by sniffing: the name must be one of ${PROTOCOL_PREFIXES}, optionally followed by '-<suffix>'`,
        `name the port '<protocol>-${port.port}', e.g. 'http-${port.port}' or 'tcp-${port.port}', or set appProtocol`);
    });
  }
}
