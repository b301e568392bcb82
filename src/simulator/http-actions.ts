import { NormalizedRequest } from './request';
import { DecidingRule, RouteDestination, RouteOutcome, RouteResult, RuleKind } from './types';
import { redirectLocation, REDIRECT_CODES, rewriteRequest } from '../semantics/actions';
import { DestinationContext, mirrorDestinations, resolveDestination, weightedDestinations } from '../semantics/destinations';
import { IndexedService } from '../semantics/manifest-index';
import { entryLocation, RouteEntry } from '../semantics/routes';

/** The rule that decided, in the result's terms. */
export function decidingRule(entry: RouteEntry): DecidingRule {
  return {
    namespace: entry.vs.namespace,
    name: entry.vs.name,
    kind: entry.kind === 'tcp' ? RuleKind.TCP : RuleKind.HTTP,
    ruleIndex: entry.ruleIndex,
    matchIndex: entry.matchIndex,
  };
}

/**
 * Forward destinations of a rule, weighted and resolved; throws for a rule istiod would reject.
 */
export function forwardDestinations(entry: RouteEntry, ctx: DestinationContext): RouteDestination[] {
  const where = entryLocation(entry, 'route');
  const routes = entry.rule.route;
  if (!Array.isArray(routes) || routes.length === 0) {
    throw new Error(`${where}: the rule has no destinations; give at least one route destination`);
  }
  const { kept, zeroTotal } = weightedDestinations(routes);
  if (zeroTotal) {
    throw new Error(`${where}: total destination weight is 0, which istio rejects; give at least one destination a positive weight`);
  }
  return kept.map((w) => resolveDestination(w.destination, w.percentage, entry.vs.namespace, ctx));
}

/**
 * Applies the action of the route that matched: redirect, direct response, or forward with
 * rewrite and mirrors.
 */
export function applyHttpAction(entry: RouteEntry, req: NormalizedRequest, ctx: DestinationContext): RouteResult {
  const rule = entry.rule;
  const base = { destinations: [], mirrors: [], rule: decidingRule(entry), notes: ctx.notes };
  if (rule.redirect) {
    const code = Number(rule.redirect.redirectCode ?? 301);
    if (!REDIRECT_CODES.includes(code)) {
      return {
        ...base,
        outcome: RouteOutcome.UNSUPPORTED,
        statusCode: 0,
        reason: `${entryLocation(entry)}: redirectCode ${code} is not translated by istiod (only 301, 302, 303, 307, 308); the route has no action and Envoy is expected to reject it`,
      };
    }
    const location = redirectLocation(rule.redirect, req);
    return { ...base, outcome: RouteOutcome.REDIRECT, statusCode: code, redirectLocation: location, reason: `${entryLocation(entry)} redirects (${code}) to ${location}` };
  }
  if (rule.directResponse) {
    const status = Number(rule.directResponse.status);
    const body = rule.directResponse.body?.string
      ?? (rule.directResponse.body?.bytes !== undefined ? Buffer.from(String(rule.directResponse.body.bytes), 'base64').toString('utf8') : undefined);
    return { ...base, outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: status, body, reason: `${entryLocation(entry)} answers directly with ${status}` };
  }
  if (!Array.isArray(rule.route) || rule.route.length === 0) {
    return {
      ...base,
      outcome: RouteOutcome.UNSUPPORTED,
      statusCode: 0,
      reason: `${entryLocation(entry)} has no route, redirect or directResponse (delegate VirtualServices are not modelled)`,
    };
  }
  const destinations = forwardDestinations(entry, ctx);
  const mirrors = mirrorDestinations(rule).map((m) => resolveDestination(m.destination, m.percentage, entry.vs.namespace, ctx));
  return forwardResult(destinations, mirrors, { ...base, ...rewriteRequest(entry, req) }, RouteOutcome.ROUTED);
}

/**
 * Default route of a Service without an applicable VirtualService: all its endpoints on the
 * listener port.
 */
export function defaultHttpRoute(svc: IndexedService, req: NormalizedRequest, ctx: DestinationContext, why: string): RouteResult {
  const dest = resolveDestination({ host: svc.fqdn, port: { number: ctx.listenerPort } }, 100, svc.namespace, ctx);
  return forwardResult([dest], [], { path: req.path, authority: req.authority, notes: ctx.notes, reason: why }, RouteOutcome.DEFAULT_ROUTE);
}

/**
 * Shared shaping of a forwarded request: all destinations broken ⇒ 503; some broken ⇒ still
 * routed, with the broken share called out.
 */
export function forwardResult(destinations: RouteDestination[], mirrors: RouteDestination[], rest: any, outcome: RouteOutcome): RouteResult {
  const failing = destinations.filter((d) => !d.healthy);
  const notes: string[] = rest.notes;
  const unique = [...new Set(notes)];
  notes.splice(0, notes.length, ...unique);
  if (failing.length === destinations.length) {
    return { ...rest, destinations, mirrors, outcome: RouteOutcome.NO_HEALTHY_UPSTREAM, statusCode: 503, reason: failing.map((d) => d.problem).join('; ') };
  }
  for (const d of failing) {
    notes.push(`${d.percentage}% of requests fail with ${d.problem?.endsWith('(500)') ? 500 : 503}: ${d.problem}`);
  }
  return { ...rest, destinations, mirrors, outcome, statusCode: rest.statusCode ?? 200 };
}
