import { DestinationContext, resolveDestination, splitByWeight } from './destinations';
import { HttpRoute, location } from './http-routes';
import { IndexedService } from './manifest-index';
import { NormalizedRequest, stripPort } from './request';
import { regexReplaceAll } from './string-match';
import { RouteDestination, RouteOutcome, RouteResult, RuleKind } from './types';

/** Redirect codes istiod translates; other 3xx leave the route without an action (§4.2). */
const REDIRECT_CODES = [301, 302, 303, 307, 308];

/**
 * Applies the action of the route that matched: redirect, direct response or forward with
 * rewrite and mirrors (§4).
 */
export function applyHttpAction(route: HttpRoute, req: NormalizedRequest, ctx: DestinationContext): RouteResult {
  const rule = route.rule;
  const decided = {
    namespace: route.vs.namespace,
    name: route.vs.name,
    kind: RuleKind.HTTP,
    ruleIndex: route.ruleIndex,
    matchIndex: route.matchIndex,
  };
  const base = { destinations: [], mirrors: [], rule: decided, notes: ctx.notes };
  if (rule.redirect) {
    const code = Number(rule.redirect.redirectCode ?? 301);
    if (!REDIRECT_CODES.includes(code)) {
      return {
        ...base,
        outcome: RouteOutcome.UNSUPPORTED,
        statusCode: 0,
        reason: `${location(route)}: redirectCode ${code} is not translated by istiod (only 301, 302, 303, 307, 308); the route has no action and Envoy is expected to reject it`,
      };
    }
    const redirectLocation = redirectTarget(rule.redirect, req);
    return { ...base, outcome: RouteOutcome.REDIRECT, statusCode: code, redirectLocation, reason: `${location(route)} redirects (${code}) to ${redirectLocation}` };
  }
  if (rule.directResponse) {
    const status = Number(rule.directResponse.status);
    const body = rule.directResponse.body?.string
      ?? (rule.directResponse.body?.bytes !== undefined ? Buffer.from(String(rule.directResponse.body.bytes), 'base64').toString('utf8') : undefined);
    return { ...base, outcome: RouteOutcome.DIRECT_RESPONSE, statusCode: status, body, reason: `${location(route)} answers directly with ${status}` };
  }
  if (!Array.isArray(rule.route) || rule.route.length === 0) {
    return {
      ...base,
      outcome: RouteOutcome.UNSUPPORTED,
      statusCode: 0,
      reason: `${location(route)} has no route, redirect or directResponse (delegate VirtualServices are not modelled)`,
    };
  }
  const destinations = splitByWeight(rule.route, location(route, 'route'))
    .map((w) => resolveDestination(w.destination, w.percentage, route.vs.namespace, ctx));
  const rewritten = rewrite(route, req);
  return forwardResult(destinations, mirrorsOf(route, ctx), { ...base, ...rewritten }, RouteOutcome.ROUTED);
}

/**
 * Default route of a Service without an applicable VirtualService (§1.6).
 */
export function defaultHttpRoute(svc: IndexedService, req: NormalizedRequest, ctx: DestinationContext, why: string): RouteResult {
  const port = req.port ?? ctx.listenerPort;
  const dest = resolveDestination({ host: svc.fqdn, port: { number: port } }, 100, svc.namespace, ctx);
  return forwardResult([dest], [], { path: req.path, authority: req.authority, notes: ctx.notes, reason: why }, RouteOutcome.DEFAULT_ROUTE);
}

/**
 * Shared shaping of a forwarded request: all destinations broken ⇒ 503; some broken ⇒ still
 * routed, with the broken share called out.
 */
export function forwardResult(destinations: RouteDestination[], mirrors: RouteDestination[], rest: any, outcome: RouteOutcome): RouteResult {
  const broken = destinations.filter((d) => !d.healthy);
  if (broken.length === destinations.length) {
    return {
      ...rest,
      destinations,
      mirrors,
      outcome: RouteOutcome.NO_HEALTHY_UPSTREAM,
      statusCode: 503,
      reason: broken.map((d) => d.problem).join('; '),
    };
  }
  const notes: string[] = rest.notes;
  for (const d of broken) {
    notes.push(`${d.percentage}% of requests fail with 503: ${d.problem}`);
  }
  return { ...rest, destinations, mirrors, outcome, statusCode: rest.statusCode ?? 200 };
}

function mirrorsOf(route: HttpRoute, ctx: DestinationContext): RouteDestination[] {
  const rule = route.rule;
  const out: RouteDestination[] = [];
  const ns = route.vs.namespace;
  if (rule.mirror) {
    // absent percentage mirrors everything; deprecated integer mirrorPercent still honoured
    const pct = Number(rule.mirrorPercentage?.value ?? rule.mirrorPercent ?? 100);
    if (pct > 0) {
      out.push(resolveDestination(rule.mirror, pct, ns, ctx));
    }
  }
  for (const m of rule.mirrors ?? []) {
    const pct = Number(m.percentage?.value ?? 100);
    if (pct > 0 && m.destination) {
      out.push(resolveDestination(m.destination, pct, ns, ctx));
    }
  }
  return out;
}

/**
 * Envoy rewrite arithmetic (§4.1): `prefix_rewrite` swaps the first len(matched prefix) characters
 * of `:path` (so `/v1` + `/` on `/v1/users` gives `//users`); exact and regex matches swap the whole
 * path; `regex_rewrite` replaces every match; the query string is kept.
 */
function rewrite(route: HttpRoute, req: NormalizedRequest): { path: string; authority: string } {
  const rw = route.rule.rewrite ?? {};
  let path = req.path;
  const query = req.path.slice(req.pathOnly.length);
  if (rw.uri !== undefined) {
    const uri = route.match?.uri;
    if (uri?.exact !== undefined || uri?.regex !== undefined) {
      path = String(rw.uri) + query;
    } else {
      const prefix = uri?.prefix !== undefined ? String(uri.prefix) : '/';
      path = String(rw.uri) + req.path.slice(prefix.length);
    }
  } else if (rw.uriRegexRewrite?.match !== undefined) {
    path = regexReplaceAll(String(rw.uriRegexRewrite.match), req.pathOnly, String(rw.uriRegexRewrite.rewrite ?? ''),
      location(route, 'rewrite.uriRegexRewrite')) + query;
  }
  let authority = req.authority;
  const setHeaders = route.rule.headers?.request?.set ?? {};
  for (const [k, v] of Object.entries(setHeaders)) {
    if ([':authority', 'host'].includes(k.toLowerCase())) {
      authority = String(v);
    }
  }
  if (rw.authority !== undefined) {
    authority = String(rw.authority);
  }
  return { path, authority };
}

/**
 * Builds the `Location` of a redirect: `uri` replaces the whole path (the query is kept unless
 * the new uri has one), authority/scheme/port replace their parts (§4.2).
 */
function redirectTarget(redirect: any, req: NormalizedRequest): string {
  const scheme = redirect.scheme ? String(redirect.scheme) : (req.scheme ?? 'http');
  let host = redirect.authority ? String(redirect.authority) : req.authority;
  if (redirect.port !== undefined) {
    host = `${stripPort(host)}:${redirect.port}`;
  } else if (redirect.derivePort === 'FROM_PROTOCOL_DEFAULT') {
    host = stripPort(host);
  } else if (redirect.derivePort === 'FROM_REQUEST_PORT' && req.port !== undefined) {
    host = `${stripPort(host)}:${req.port}`;
  }
  const query = req.path.slice(req.pathOnly.length);
  let path = req.path;
  if (redirect.uri !== undefined) {
    const uri = String(redirect.uri);
    path = uri.includes('?') ? uri : uri + query;
  }
  return `${scheme}://${host}${path}`;
}
