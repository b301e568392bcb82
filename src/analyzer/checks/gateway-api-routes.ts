import { resolveBackend } from '../../semantics/gateway-api/backends';
import { AttachmentProblem, GatewayApiIndex, GatewayApiRoute, ParentAttachment } from '../../semantics/gateway-api/gateway-api-index';
import { gatewayApiEntryLocation, mergedEntries, routeHardError } from '../../semantics/gateway-api/route-tables';
import { isAmbientNamespace, serviceWaypoint } from '../../semantics/gateway-api/waypoints';
import { isHttpOrSniffed } from '../../semantics/protocols';
import { AnalysisContext } from '../analysis-context';

/**
 * Gateway API routes as istiod would take them (docs/gateway-api-semantics.md §1.5, §1.7, §3.1, §4.3,
 * §5.3): parentRefs that attach to nothing (ISTT010) or whose hostnames no listener accepts (ISTT011),
 * backendRefs that do not resolve (ISTT012, 500), cross-namespace references without ReferenceGrant
 * (ISTT013), routes istiod drops whole (ISTT014), matches sorted after a catch-all (ISTT015), mesh
 * routes ambient callers never see (ISTT016) and Service parent details istiod ignores (ISTT017). Every attachment comes from `GatewayApiIndex`, built
 * once; each route is visited once.
 */
export function checkGatewayApiRoutes(ctx: AnalysisContext): void {
  if (ctx.index.gatewayApiObjects.length === 0) {
    return;
  }
  const index = GatewayApiIndex.of(ctx.index);
  const byRoute = new Map<GatewayApiRoute, ParentAttachment[]>();
  for (const a of index.attachments) {
    const list = byRoute.get(a.route);
    if (list) {
      list.push(a);
    } else {
      byRoute.set(a.route, [a]);
    }
  }
  for (const route of index.routes) {
    const attachments = byRoute.get(route) ?? [];
    attachments.forEach((a) => checkAttachment(ctx, a));
    const hardError = routeHardError(route);
    if (hardError) {
      ctx.report('ISTT014', route, 'spec.rules', `istiod produces no routes from this ${route.kind}: ${hardError}; its status still says Accepted`,
        'use only the filters istiod supports (RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror, CORS) and name backend Services by name');
      continue;
    }
    checkBackends(ctx, index, route, attachments.some((a) => a.gateway && !a.problem));
    checkShadowedMatches(ctx, route);
  }
  checkCertificateGrants(ctx, index);
  checkAmbientWaypoints(ctx, index);
}

function checkAttachment(ctx: AnalysisContext, a: ParentAttachment): void {
  const path = `spec.parentRefs[${a.parentIndex}]`;
  switch (a.problem) {
    case undefined:
      checkServiceParent(ctx, a, path);
      return;
    case AttachmentProblem.NO_MATCHING_LISTENER_HOSTNAME:
      ctx.report('ISTT011', a.route, 'spec.hostnames', `${a.message}: the route is not attached (Accepted=False, NoMatchingListenerHostname)`,
        'give the route a hostname the listener accepts, or widen the listener hostname');
      return;
    case AttachmentProblem.IGNORED_KIND:
      ctx.report('ISTT010', a.route, path, `${a.message}: istiod skips this parentRef without writing any status (a Service parent needs group: "")`,
        'write group: "" and kind: Service for a mesh route, or omit group and kind for a Gateway');
      return;
    default:
      ctx.report('ISTT010', a.route, path, `${a.message}: the route is not attached there${a.problem === AttachmentProblem.NOT_ISTIO_CLASS ? '' : ` (Accepted=False, ${a.problem})`}`,
        a.problem === AttachmentProblem.NOT_ALLOWED_BY_LISTENERS
          ? 'allow the route\'s namespace in the listener\'s allowedRoutes, or move the route to the Gateway\'s namespace'
          : 'reference an existing Gateway of class istio (with a matching sectionName/port) or an existing Service');
  }
}

/**
 * Service parent details istiod does not honour (§6.1; docs/gateway-api-semantics.md §8 P3): it never
 * reads `sectionName` there, and HTTP routes do nothing on a Service port declared as plain TCP.
 */
function checkServiceParent(ctx: AnalysisContext, a: ParentAttachment, path: string): void {
  const svc = a.service;
  if (!svc) {
    return;
  }
  if (a.parent.sectionName !== undefined && a.parent.port === undefined) {
    ctx.report('ISTT017', a.route, `${path}.sectionName`,
      `istiod does not read sectionName '${a.parent.sectionName}' on a Service parent: the route applies to every port of Service ${svc.namespace}/${svc.name}`,
      'limit the route to one Service port with parentRef port instead');
  }
  const port = a.parent.port === undefined ? undefined : svc.ports.find((p) => p.port === a.parent.port);
  if (a.route.kind !== 'TCPRoute' && port && !isHttpOrSniffed(port.protocol)) {
    ctx.report('ISTT017', a.route, `${path}.port`,
      `port ${port.port} of Service ${svc.namespace}/${svc.name} is declared ${port.protocol}, so sidecars and waypoints treat it as TCP and never apply this ${a.route.kind}`,
      'name the Service port http-… (or set appProtocol: http), or use a TCPRoute');
  }
}

function checkBackends(ctx: AnalysisContext, index: GatewayApiIndex, route: GatewayApiRoute, forGateway: boolean): void {
  route.rules.forEach((rule, i) => {
    const refs: { ref: any; path: string }[] = [
      ...(Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).map((ref: any, j: number) => ({ ref, path: `spec.rules[${i}].backendRefs[${j}]` })),
      ...(Array.isArray(rule?.filters) ? rule.filters : []).flatMap((f: any, k: number) => (f?.type === 'RequestMirror'
        ? [{ ref: f.requestMirror?.backendRef, path: `spec.rules[${i}].filters[${k}].requestMirror.backendRef` }] : [])),
    ];
    for (const { ref, path } of refs) {
      const backend = resolveBackend(index, route, ref ?? {}, forGateway);
      if (backend.reason === 'RefNotPermitted') {
        ctx.report('ISTT013', route, path, `${backend.problem}: the route's parent is a Gateway, for which istiod requires the grant`,
          `add a ReferenceGrant in namespace ${ref.namespace} from ${route.kind} in ${route.namespace} to Service${ref.name ? ` ${ref.name}` : ''}`);
      } else if (backend.status === 500 && !(ctx.knownHosts.has(backend.host) && backend.reason === 'BackendNotFound')) {
        ctx.report('ISTT012', route, path, `${backend.problem}: requests sent there fail (ResolvedRefs=False)`,
          'reference an existing Service by name with one of its ports, or declare it with the knownHosts option if it lives outside these manifests');
      }
    }
  });
}

/** Matches istiod drops because Gateway API precedence sorts them after a match that takes every request. */
function checkShadowedMatches(ctx: AnalysisContext, route: GatewayApiRoute): void {
  if (route.kind === 'TCPRoute') {
    return;
  }
  const notes: string[] = [];
  const kept = mergedEntries([route], notes);
  if (notes.length === 0) {
    return;
  }
  const catchAll = kept[kept.length - 1];
  ctx.report('ISTT015', route, `spec.rules[${catchAll.ruleIndex}]`,
    `${gatewayApiEntryLocation(catchAll)} matches every request and Gateway API precedence tries it before other matches of this route, which istiod drops (${notes[0]})`,
    'give the catch-all rule `matches: []`, which sorts last, or make the other matches more specific');
}

/** A Gateway reading a certificate Secret in another namespace needs a ReferenceGrant there (§1.7). */
function checkCertificateGrants(ctx: AnalysisContext, index: GatewayApiIndex): void {
  for (const gateway of index.gateways.values()) {
    const listeners: any[] = Array.isArray(gateway.spec.listeners) ? gateway.spec.listeners : [];
    listeners.forEach((l, i) => (Array.isArray(l?.tls?.certificateRefs) ? l.tls.certificateRefs : []).forEach((c: any, j: number) => {
      const namespace = c?.namespace === undefined ? gateway.namespace : String(c.namespace);
      if (!index.isGranted('Gateway', gateway.namespace, String(c?.group ?? ''), String(c?.kind ?? 'Secret'), namespace, String(c?.name ?? ''))) {
        ctx.report('ISTT013', gateway, `spec.listeners[${i}].tls.certificateRefs[${j}]`,
          `certificate ${namespace}/${c?.name} is in another namespace than Gateway ${gateway.namespace}/${gateway.name} and no ReferenceGrant in ${namespace} allows it: the listener does not terminate TLS`,
          `add a ReferenceGrant in namespace ${namespace} from Gateway in ${gateway.namespace} to Secret ${c?.name}`);
      }
    }));
  }
}

/** Service-parented HTTPRoutes in an ambient namespace do nothing for ambient callers without a waypoint (§5.3, §8 P23). */
function checkAmbientWaypoints(ctx: AnalysisContext, index: GatewayApiIndex): void {
  const reported = new Set<string>();
  for (const a of index.attachments) {
    const svc = a.service;
    if (!svc || a.problem || a.route.kind === 'TCPRoute' || reported.has(svc.fqdn) || !isAmbientNamespace(ctx.index, svc.namespace)) {
      continue;
    }
    reported.add(svc.fqdn);
    const waypoint = serviceWaypoint(index, svc);
    if (!waypoint || waypoint.problem) {
      ctx.report('ISTT016', a.route, `spec.parentRefs[${a.parentIndex}]`,
        `Service ${svc.namespace}/${svc.name} is in the ambient namespace ${svc.namespace} but ${waypoint?.problem ?? 'uses no waypoint'}: ambient callers bypass this route`,
        'label the Service (or its namespace) istio.io/use-waypoint: <waypoint> with a waypoint of class istio-waypoint for service traffic');
    }
  }
}
