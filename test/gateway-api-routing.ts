import { RE2JS } from 're2js';

/**
 * Where one HTTPRoute sends a request, as Istio 1.30 programs it (docs/gateway-api-semantics.md
 * §2): the API server's defaults first, every rule split into one entry per match, a stable sort by
 * Istio's precedence (no match last; Exact, PathPrefix, RegularExpression; longer value; more
 * headers), and the first entry that matches decides. Written from the reference, independently of
 * the emitter, so tests can check the order the emitter chose.
 */
export interface RouteOutcome {
  /** `name weight` of each backend, or `404` when no rule matches. */
  readonly backends: string[];
  readonly rewrite?: string;
}

export function routeRequest(spec: any, request: { path: string; headers?: Record<string, string> }): RouteOutcome {
  const entries = (spec.rules ?? []).flatMap((rule: any, ruleIndex: number) => {
    const ruleMatches = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
    return ruleMatches.length === 0 ? [{ rule, ruleIndex, match: undefined }] : ruleMatches.map((match: any) => ({ rule, ruleIndex, match }));
  });
  const sorted = entries.map((e: any, i: number) => ({ ...e, i })).sort((a: any, b: any) => compare(a.match, b.match) || a.i - b.i);
  const hit = sorted.find((e: any) => e.match === undefined || matches(e.match, request));
  if (!hit) {
    return { backends: ['404'] };
  }
  const rewrite = (hit.rule.filters ?? []).find((f: any) => f.type === 'URLRewrite')?.urlRewrite.path;
  return {
    backends: (hit.rule.backendRefs ?? []).map((b: any) => `${b.name} ${b.weight ?? 1}`),
    rewrite: rewrite ? rewritePath(rewrite, hit.match.path.value, request.path) : undefined,
  };
}

function compare(a: any, b: any): number {
  if (!a || !b) {
    return (a ? 0 : 1) - (b ? 0 : 1);
  }
  const rank = (m: any) => ({ Exact: 3, PathPrefix: 2, RegularExpression: 1 } as Record<string, number>)[m.path?.type ?? 'PathPrefix'];
  const length = (m: any) => String(m.path?.value ?? '/').replace(/(.)\/$/, '$1').length;
  return rank(b) - rank(a) || length(b) - length(a) || (b.headers?.length ?? 0) - (a.headers?.length ?? 0);
}

function matches(match: any, request: { path: string; headers?: Record<string, string> }): boolean {
  const path = match.path ?? { type: 'PathPrefix', value: '/' };
  const value = String(path.value).replace(/(.)\/$/, '$1');
  const pathOk = path.type === 'Exact' ? request.path === path.value
    : path.type === 'PathPrefix' ? value === '/' || request.path === value || request.path.startsWith(`${value}/`)
      : RE2JS.compile(path.value).matches(request.path);
  return pathOk && (match.headers ?? []).every((h: any) => {
    const actual = request.headers?.[h.name.toLowerCase()];
    return actual !== undefined && (h.type === 'RegularExpression' ? RE2JS.compile(h.value).matches(actual) : actual === h.value);
  });
}

/** URLRewrite as Istio writes it (docs/gateway-api-semantics.md §3.2). */
function rewritePath(rewrite: any, matched: string, path: string): string {
  if (rewrite.type === 'ReplaceFullPath') {
    return rewrite.replaceFullPath;
  }
  const prefix = matched.replace(/(.)\/$/, '$1');
  const replacement = rewrite.replacePrefixMatch.replace(/(.)\/$/, '$1') || '/';
  const rest = path.slice(prefix.length);
  return replacement === '/' ? `/${rest.replace(/^\//, '')}` : `${replacement}${rest}`;
}
