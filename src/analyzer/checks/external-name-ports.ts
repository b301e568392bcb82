import { isGatewayManaged, isIstioControlPlane } from '../../semantics/analysis-exemptions';
import { invalidExternalNamePort, isExternalName } from '../../semantics/external-name';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0150: an ExternalName Service with a port that declares no protocol, or is named just `tcp`:
 * the sidecar cannot forward TCP traffic to it reliably. istioctl reports it instead of IST0118 for
 * such Services, once per Service (its message names no port), and skips control-plane and
 * gateway-managed Services (`pkg/config/analysis/analyzers/service/portname.go`).
 */
export function checkExternalNamePorts(ctx: AnalysisContext): void {
  for (const svc of ctx.index.services.values()) {
    if (!isExternalName(svc) || isIstioControlPlane(svc) || isGatewayManaged(svc)) {
      continue;
    }
    const i = invalidExternalNamePort(svc);
    if (i < 0) {
      continue;
    }
    const port = svc.ports[i];
    ctx.report('IST0150', svc, `spec.ports[${i}]`,
      `port ${port.port} of ExternalName Service '${svc.name}' is ${port.name ? `named '${port.name}'` : 'unnamed'}: the sidecar may not forward TCP traffic to the external name correctly`,
      `name the port after its protocol with a suffix, e.g. 'tcp-${port.port}', 'http-${port.port}' or 'tls-${port.port}', or set appProtocol`);
  }
}
