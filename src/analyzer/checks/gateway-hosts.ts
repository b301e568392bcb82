import { gatewayServesAnyHost, isInternalGatewayReference, kubernetesGatewayServesAnyHost } from '../../semantics/gateway-hosts';
import { MESH_GATEWAY, resolveGatewayName } from '../../semantics/names';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0165 (a `gateways` entry names a Gateway istiod generates for a Gateway API listener) and
 * IST0132 (no host of the VirtualService matches a host of the Gateway it names, so it binds to
 * nothing there), per top-level `gateways` entry (`pkg/config/analysis/analyzers/virtualservice/gateways.go`).
 */
export function checkGatewayHosts(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    const hosts: string[] = (Array.isArray(vs.spec.hosts) ? vs.spec.hosts : []).map(String);
    const gateways: any[] = Array.isArray(vs.spec.gateways) ? vs.spec.gateways : [];
    const reported = new Set<string>();
    gateways.forEach((entry, i) => {
      const gateway = String(entry);
      const path = `spec.gateways[${i}]`;
      if (gateway === MESH_GATEWAY) {
        return;
      }
      // istioctl reports a message once per object and text: repeated entries are one finding
      if (isInternalGatewayReference(gateway)) {
        if (!once(reported, `internal|${gateway}`)) {
          return;
        }
        ctx.report('IST0165', vs, path, `gateway '${gateway}' is a Gateway istiod generates from a Gateway API listener: its name is internal and changes with the listener`,
          'bind the route to the Gateway API Gateway with an HTTPRoute, or reference an Istio Gateway');
        return;
      }
      const ref = resolveGatewayName(gateway, vs.namespace);
      if (!once(reported, ref)) {
        return;
      }
      const istioGateway = ctx.index.gateways.get(ref);
      const kubernetesGateway = istioGateway ? undefined : ctx.index.kubernetesGateways.get(ref);
      if (!istioGateway && !kubernetesGateway && ctx.knownGateways.has(ref)) {
        return;
      }
      const served = istioGateway
        ? gatewayServesAnyHost(istioGateway, hosts, vs.namespace)
        : kubernetesGateway !== undefined && kubernetesGatewayServesAnyHost(kubernetesGateway, hosts);
      if (!served) {
        const where = istioGateway ? `no server of Gateway '${ref}' declares any of them for namespace ${vs.namespace}`
          : kubernetesGateway ? `no listener of Gateway API Gateway '${ref}' accepts any of them` : `Gateway '${ref}' is not among the manifests`;
        ctx.report('IST0132', vs, path, `hosts ${hosts.join(', ') || '(none)'} are not served by gateway '${gateway}': ${where}, so the VirtualService binds to nothing there`,
          `add one of the hosts to a server of '${ref}' (for this namespace), or fix the VirtualService's hosts`);
      }
    });
  }
}

function once(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) {
    return false;
  }
  seen.add(key);
  return true;
}
