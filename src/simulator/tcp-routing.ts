import { DestinationContext, resolveDestination, splitByWeight } from './destinations';
import { forwardResult } from './http-actions';
import {
  hostIntersection, hostMatches, IndexedService, IndexedVirtualService, isExportedTo, labelsSubsetOf, ManifestIndex, MESH_GATEWAY,
  resolveGatewayName,
} from './manifest-index';
import { RouteOutcome, RouteResult, RuleKind } from './types';

/** The TCP rule a connection ends up on. */
interface TcpDecision {
  readonly vs: IndexedVirtualService;
  readonly ruleIndex: number;
  readonly matchIndex?: number;
  readonly rule: any;
}

/** Who opens the connection: a sidecar (gateway set `{mesh}`) or a gateway server. */
export interface TcpProxy {
  readonly gatewayNames: Set<string>;
  readonly labels: Record<string, string>;
  readonly namespace: string;
  readonly port: number;
}

/**
 * Sidecar TCP routing (§3): the first VirtualService (creation order) for the service with a
 * match that passes gateways AND sourceLabels AND port AND sourceNamespace decides; otherwise the
 * connection goes to the whole service.
 */
export function routeTcpFromSidecar(index: ManifestIndex, svc: IndexedService, proxy: TcpProxy, ctx: DestinationContext): RouteResult {
  for (const vs of index.virtualServices) {
    if (!vs.gateways.includes(MESH_GATEWAY) || !isExportedTo(vs.spec.exportTo, vs.namespace, proxy.namespace)) {
      continue;
    }
    if (!vs.hosts.some((h) => hostMatches(svc.fqdn, h))) {
      continue;
    }
    const decision = firstTcpMatch(vs, (m) => sidecarMatch(m, vs.namespace, proxy), ctx.notes);
    if (decision) {
      return tcpForward(decision, ctx);
    }
  }
  const dest = resolveDestination({ host: svc.fqdn, port: { number: proxy.port } }, 100, svc.namespace, ctx);
  return tcpShape(forwardResult([dest], [], {
    notes: ctx.notes,
    reason: `no VirtualService tcp rule applies to ${svc.fqdn}:${proxy.port} for this pod; default routing to all endpoints of the service`,
  }, RouteOutcome.DEFAULT_ROUTE));
}

/**
 * Gateway TCP routing (§3): only `port` and `gateways` of a match are evaluated; the first bound
 * VirtualService with a matching rule wins for the whole server.
 */
export function routeTcpThroughGateway(index: ManifestIndex, servers: { gateway: string; hosts: { ns: string; host: string }[] }[],
  proxy: TcpProxy, ctx: DestinationContext): RouteResult {
  for (const server of servers) {
    for (const vs of index.virtualServices) {
      if (!vs.gateways.includes(server.gateway) || !isExportedTo(vs.spec.exportTo, vs.namespace, proxy.namespace)) {
        continue;
      }
      const bound = server.hosts.some((sh) => (sh.ns === '*' || sh.ns === vs.namespace)
        && vs.hosts.some((h) => hostIntersection(h, sh.host) !== undefined));
      if (!bound) {
        continue;
      }
      const decision = firstTcpMatch(vs, (m) => {
        const portOk = m.port === undefined || Number(m.port) === proxy.port;
        const gws: string[] = m.gateways ?? [];
        return portOk && (gws.length === 0 || gws.some((g) => resolveGatewayName(String(g), vs.namespace) === server.gateway));
      }, ctx.notes);
      if (decision) {
        return tcpForward(decision, ctx);
      }
    }
  }
  return {
    outcome: RouteOutcome.NO_ROUTE,
    statusCode: 0,
    destinations: [],
    mirrors: [],
    notes: ctx.notes,
    reason: `no VirtualService tcp rule is bound to the gateway server on port ${proxy.port}; the connection is closed`,
  };
}

/** istiod `matchTCP` for sidecars: every condition is required. */
function sidecarMatch(m: any, vsNamespace: string, proxy: TcpProxy): boolean {
  const gws: string[] = m.gateways ?? [];
  const gatewayOk = gws.length === 0 || gws.some((g) => proxy.gatewayNames.has(resolveGatewayName(String(g), vsNamespace)));
  const portOk = m.port === undefined || Number(m.port) === proxy.port;
  const nsOk = !m.sourceNamespace || m.sourceNamespace === proxy.namespace;
  return gatewayOk && labelsSubsetOf(m.sourceLabels, proxy.labels) && portOk && nsOk;
}

function firstTcpMatch(vs: IndexedVirtualService, accepts: (m: any) => boolean, notes: string[]): TcpDecision | undefined {
  const rules: any[] = vs.spec.tcp ?? [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] ?? {};
    const matches: any[] = rule.match ?? [];
    if (matches.length === 0) {
      return { vs, ruleIndex, rule };
    }
    for (let matchIndex = 0; matchIndex < matches.length; matchIndex++) {
      const m = matches[matchIndex] ?? {};
      if ((m.destinationSubnets ?? []).length > 0) {
        // destination IPs are not known offline; istiod would add a separate filter chain
        notes.push(`virtualservice ${vs.namespace}/${vs.name} tcp[${ruleIndex}].match[${matchIndex}] uses destinationSubnets, which is not modelled; skipped`);
        continue;
      }
      if (accepts(m)) {
        return { vs, ruleIndex, matchIndex, rule };
      }
    }
  }
  return undefined;
}

function tcpForward(d: TcpDecision, ctx: DestinationContext): RouteResult {
  const where = `virtualservice ${d.vs.namespace}/${d.vs.name} tcp[${d.ruleIndex}].route`;
  const destinations = splitByWeight(d.rule.route ?? [], where).map((w) => resolveDestination(w.destination, w.percentage, d.vs.namespace, ctx));
  const rule = { namespace: d.vs.namespace, name: d.vs.name, kind: RuleKind.TCP, ruleIndex: d.ruleIndex, matchIndex: d.matchIndex };
  return tcpShape(forwardResult(destinations, [], { notes: ctx.notes, rule }, RouteOutcome.ROUTED));
}

/** TCP has no HTTP status: a broken upstream resets the connection. */
function tcpShape(result: RouteResult): RouteResult {
  return { ...result, statusCode: 0 };
}
