import { rewritePath } from '../src/semantics/gateway-api/filters';
import { GatewayApiRoute } from '../src/semantics/gateway-api/gateway-api-index';
import { gatewayApiMatches } from '../src/semantics/gateway-api/matches';
import { mergedEntries } from '../src/semantics/gateway-api/route-tables';
import { httpRequestView } from '../src/semantics/request';

/**
 * Where one HTTPRoute sends a request, as Istio 1.30 programs it (docs/gateway-api-semantics.md
 * §2.5), asked of the semantics core the simulator uses: entries sorted by Gateway API precedence,
 * the first that matches decides. A short form for tests of the emitter's rules.
 */
export interface RouteOutcome {
  /** `name weight` of each backend, or `404` when no rule matches. */
  readonly backends: string[];
  readonly rewrite?: string;
}

export function routeRequest(spec: any, request: { path: string; headers?: Record<string, string> }): RouteOutcome {
  const route: GatewayApiRoute = {
    kind: 'HTTPRoute',
    name: 'route',
    namespace: 'test',
    labels: {},
    annotations: {},
    spec,
    hostnames: [],
    rules: Array.isArray(spec.rules) ? spec.rules : [{}],
    parentRefs: [],
    order: 0,
  };
  const req = httpRequestView({ authority: 'test', path: request.path, headers: new Map(Object.entries(request.headers ?? {})) });
  const hit = mergedEntries([route]).find((e) => gatewayApiMatches(e.match, req, 'test'));
  if (!hit) {
    return { backends: ['404'] };
  }
  const rewrite = (hit.rule.filters ?? []).find((f: any) => f.type === 'URLRewrite')?.urlRewrite.path;
  const prefix = hit.match?.path?.type === 'PathPrefix' ? hit.match.path.value : undefined;
  return {
    backends: (hit.rule.backendRefs ?? []).map((b: any) => `${b.name} ${b.weight ?? 1}`),
    rewrite: rewrite ? rewritePath(rewrite, prefix, req) : undefined,
  };
}
