import { isInternalGatewayReference } from '../../semantics/gateway-hosts';
import { IndexedObject } from '../../semantics/manifest-index';
import { resolveGatewayName, resolveShortname } from '../../semantics/names';
import { AnalysisContext, boundToMesh, httpRules, matchesOf } from '../analysis-context';
import { destinationsOf } from './destinations';

/**
 * IST0101 (gateway, host, port or subset not found), IST0112 (gateway route without a port to a
 * multi-port service) and ISTT007 (match-level gateway the VirtualService is not bound to). Also
 * records which subsets receive traffic, for the subset checks.
 */
export function checkReferences(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    const gateways: any[] = Array.isArray(vs.spec.gateways) ? vs.spec.gateways : [];
    gateways.forEach((g, i) => checkGateway(ctx, vs, String(g), `spec.gateways[${i}]`));
    httpRules(vs).forEach((rule, i) => matchesOf(rule).forEach((m, j) => {
      (Array.isArray(m?.gateways) ? m.gateways : []).forEach((g: any, k: number) => {
        const path = `spec.http[${i}].match[${j}].gateways[${k}]`;
        checkGateway(ctx, vs, String(g), path);
        const ref = resolveGatewayName(String(g), vs.namespace);
        if (!vs.gateways.includes(ref)) {
          ctx.report('ISTT007', vs, path, `match-level gateway '${g}' is not among the VirtualService's gateways (${vs.gateways.join(', ')}): istiod indexes a VirtualService only under its top-level gateways, so this match never applies`,
            `add '${g}' to spec.gateways, or remove it from the match`);
        }
      });
    }));

    for (const ref of destinationsOf(vs)) {
      const rawHost = String(ref.destination.host ?? '');
      const fqdn = resolveShortname(rawHost, vs.namespace);
      if (ctx.isKnownExternalHost(rawHost, fqdn)) {
        continue;
      }
      if (!ctx.isRegistryHost(fqdn)) {
        ctx.report('IST0101', vs, `${ref.path}.host`, `destination host '${rawHost}'${fqdn !== rawHost ? ` (resolved to '${fqdn}')` : ''} is not a Service or ServiceEntry in the manifests: istiod drops routes to unknown hosts`,
          `create the Service '${fqdn}', use the fully qualified name of an existing one, or declare it with the knownHosts option if it lives outside these manifests`);
        continue;
      }
      const subset = ref.destination.subset;
      if (subset !== undefined && subset !== null && subset !== '') {
        ctx.routedSubsets.add(`${fqdn}|${subset}`);
        const defined = ctx.subsetsByHost.get(fqdn);
        if (!defined?.has(String(subset))) {
          const names = defined && defined.size > 0 ? [...defined.keys()].map((n) => `'${n}'`).join(', ') : 'none';
          ctx.report('IST0101', vs, `${ref.path}.subset`, `subset '${subset}' of host '${fqdn}' is not defined by any DestinationRule (defined subsets: ${names}): requests routed here get 503 NC`,
            `add a subset named '${subset}' to the DestinationRule for '${fqdn}', or route to one of its subsets`);
        }
      }
      const svc = ctx.index.services.get(fqdn);
      if (!svc) {
        continue;
      }
      const port = ref.destination.port?.number;
      if (port !== undefined && !svc.ports.some((p) => p.port === Number(port))) {
        ctx.report('IST0101', vs, `${ref.path}.port.number`, `port ${port} is not a port of Service '${fqdn}' (ports: ${svc.ports.map((p) => p.port).join(', ') || 'none'}): the cluster does not exist, requests get 503`,
          `use one of the Service's ports: ${svc.ports.map((p) => p.port).join(', ')}`);
      } else if (port === undefined && ref.http && svc.ports.length > 1 && !boundToMesh(vs)) {
        ctx.report('IST0112', vs, ref.path, `destination '${fqdn}' has no port but the Service has ${svc.ports.length} ports (${svc.ports.map((p) => p.port).join(', ')}): a gateway forwards to the port the request arrived on, which the Service does not serve`,
          'set destination.port.number to the Service port that should receive the traffic');
      }
    }
  }
}

function checkGateway(ctx: AnalysisContext, vs: IndexedObject, gateway: string, path: string): void {
  const ref = resolveGatewayName(gateway, vs.namespace);
  // an internal (generated) Gateway is never among the manifests, IST0165 says what is wrong instead;
  // istiod binds VirtualServices to Gateway API Gateways too (virtualservice/gateways.go)
  const exists = ctx.index.gateways.has(ref) || ctx.index.kubernetesGateways.has(ref) || ctx.knownGateways.has(ref);
  if (isInternalGatewayReference(gateway) || ref === 'mesh' || exists) {
    return;
  }
  ctx.report('IST0101', vs, path, `gateway '${gateway}'${ref !== gateway ? ` (resolved to '${ref}')` : ''} is not among the manifests (gateways: ${ctx.gatewayNames()}): the VirtualService is bound to nothing there`,
    `reference an existing Gateway as 'namespace/name', create '${ref}', or declare it with the knownGateways option if it lives outside these manifests`);
}
