import { isInternalGatewayReference } from '../../semantics/gateway-hosts';
import { IndexedObject, IndexedVirtualService } from '../../semantics/manifest-index';
import { resolveGatewayName, resolveShortname } from '../../semantics/names';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';
import { DestinationRef, destinationsOf } from './destinations';

/**
 * IST0101 (gateway, host, port or subset not found), IST0112 (route without a port to a multi-port
 * Service or ServiceEntry) and ISTT007 (match-level gateway the VirtualService is not bound to). Also
 * records which subsets receive traffic, for the subset checks.
 */
export function checkReferences(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    const gateways: any[] = Array.isArray(vs.spec.gateways) ? vs.spec.gateways : [];
    gateways.forEach((g, i) => checkGateway(ctx, vs, String(g), `spec.gateways[${i}]`));
    // istiod's analyzer checks only top-level gateways; a match-level one missing there is ISTT007
    httpRules(vs).forEach((rule, i) => matchesOf(rule).forEach((m, j) => {
      (Array.isArray(m?.gateways) ? m.gateways : []).forEach((g: any, k: number) => {
        const path = `spec.http[${i}].match[${j}].gateways[${k}]`;
        const ref = resolveGatewayName(String(g), vs.namespace);
        if (!vs.gateways.includes(ref)) {
          ctx.report('ISTT007', vs, path, `match-level gateway '${g}' is not among the VirtualService's gateways (${vs.gateways.join(', ')}): istiod indexes a VirtualService only under its top-level gateways, so this match never applies`,
            `add '${g}' to spec.gateways, or remove it from the match`);
        }
      });
    }));
    for (const ref of destinationsOf(vs)) {
      checkDestination(ctx, vs, ref);
    }
  }
}

/**
 * istiod's `DestinationHostAnalyzer` (`analyzers/virtualservice/destinationhosts.go`): the host must
 * be a Service or ServiceEntry visible where the VirtualService is exported (the core's
 * `registryEntryFor`), an explicit port one it declares, and a missing port is an error (IST0112)
 * when it declares several, for mesh and gateway, http, tcp, tls and mirror destinations alike.
 * `DestinationRuleAnalyzer` (`destinationrules.go`) checks the subset independently of the host.
 */
function checkDestination(ctx: AnalysisContext, vs: IndexedVirtualService, ref: DestinationRef): void {
  const rawHost = String(ref.destination.host ?? '');
  const fqdn = resolveShortname(rawHost, vs.namespace);
  if (ctx.isKnownExternalHost(rawHost, fqdn)) {
    return;
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
  const entry = ctx.index.registryEntryFor(fqdn, vs.namespace, vs.exportTo);
  if (!entry) {
    const where = vs.exportTo ? `the namespaces the VirtualService is exported to (${vs.exportTo.join(', ')})` : `namespace '${vs.namespace}'`;
    ctx.report('IST0101', vs, `${ref.path}.host`, `destination host '${rawHost}'${fqdn !== rawHost ? ` (resolved to '${fqdn}')` : ''} is not a Service or ServiceEntry visible from ${where}: istiod drops routes to unknown hosts`,
      `create the Service '${fqdn}' (or export it with networking.istio.io/exportTo / ServiceEntry exportTo), use the fully qualified name of an existing one, or declare it with the knownHosts option if it lives outside these manifests`);
    return;
  }
  const what = entry.service ? `Service '${fqdn}'` : `ServiceEntry '${entry.serviceEntry!.namespace}/${entry.serviceEntry!.name}'`;
  const ports = entry.ports.join(', ') || 'none';
  const port = ref.destination.port?.number;
  if (port !== undefined && port !== null) {
    if (!entry.ports.includes(Number(port))) {
      ctx.report('IST0101', vs, `${ref.path}.port.number`, `port ${port} is not a port of ${what} (ports: ${ports}): the cluster does not exist, requests get 503`,
        `use one of the declared ports: ${ports}`);
    }
  } else if (entry.ports.length > 1) {
    ctx.report('IST0112', vs, ref.path, `destination '${fqdn}' has no port but ${what} has ${entry.ports.length} ports (${ports}): istio requires the port to be named to choose the cluster (a gateway forwards to the port the request arrived on, which may not be served)`,
      'set destination.port.number to the port that should receive the traffic');
  }
}

/**
 * istiod's `GatewayAnalyzer` (`analyzers/virtualservice/gateways.go`): a top-level gateway must be
 * an Istio Gateway or a Gateway API Gateway of that name.
 */
function checkGateway(ctx: AnalysisContext, vs: IndexedObject, gateway: string, path: string): void {
  const ref = resolveGatewayName(gateway, vs.namespace);
  // an internal (generated) Gateway is never among the manifests, IST0165 says what is wrong instead
  const exists = ctx.index.gateways.has(ref) || ctx.index.kubernetesGateways.has(ref) || ctx.knownGateways.has(ref);
  if (isInternalGatewayReference(gateway) || ref === 'mesh' || exists) {
    return;
  }
  ctx.report('IST0101', vs, path, `gateway '${gateway}'${ref !== gateway ? ` (resolved to '${ref}')` : ''} is not among the manifests (gateways: ${ctx.gatewayNames()}): the VirtualService is bound to nothing there`,
    `reference an existing Gateway as 'namespace/name', create '${ref}', or declare it with the knownGateways option if it lives outside these manifests`);
}
