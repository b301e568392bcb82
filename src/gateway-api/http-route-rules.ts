import { effectiveOrder, Entry, gatewayMatch, GatewayMatch, resolvePrecedence, toGatewayPath } from './route-precedence';
import { backendName } from './version-services';
import {
  HttpRouteSpecRules, HttpRouteSpecRulesBackendRefs, HttpRouteSpecRulesBackendRefsFiltersType, HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesFiltersUrlRewritePathType, HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType, HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import { HeaderCondition, HttpRouteModel, ServiceModel, WeightedDestination } from '../model/release-model';
import { re2Quote } from '../validate/http-names';

/** Gateway API limits per HTTPRoute (`apis/v1/httproute_types.go` of Gateway API v1.5.1). */
const MAX_RULES = 16;
const MAX_MATCHES_PER_RULE = 64;
const MAX_MATCHES = 128;

/** Where a route table's requests go: the backends' Service port. */
export interface RuleContext {
  readonly service: ServiceModel;
  /** The Service port the backends are addressed on. */
  readonly port: number;
  /** The HTTPRoute in words, for errors. */
  readonly where: string;
}

/**
 * The rules of one HTTPRoute for a route table in first-match order (the order the Istio output
 * writes as VirtualService rules). Each match becomes an entry; the entries are arranged so that
 * Istio's precedence sort tries them in an order that routes every request as the table does
 * (docs/gateway-api-semantics.md §2.5 and §12), and are written in that effective order, consecutive entries with the same action
 * sharing one rule.
 */
export function httpRouteRules(context: RuleContext, routes: HttpRouteModel[]): HttpRouteSpecRules[] {
  const intended = routes.flatMap((route) => entriesOf(route));
  const entries = effectiveOrder(resolvePrecedence(intended, (entry) => entry.action.rewriteUri));
  const rules: { entries: Entry<HttpRouteModel>[] }[] = [];
  for (const entry of entries) {
    const last = rules[rules.length - 1];
    if (last && canShareRule(last.entries[0], entry) && last.entries.length < MAX_MATCHES_PER_RULE) {
      last.entries.push(entry);
    } else {
      rules.push({ entries: [entry] });
    }
  }
  if (rules.length > MAX_RULES) {
    throw new Error(`${context.where}: the routes need ${rules.length} Gateway API rules, but an HTTPRoute holds at most ${MAX_RULES}: declare fewer opt-in routes or matches, or use ReleaseOutput.istio()`);
  }
  if (entries.length > MAX_MATCHES) {
    throw new Error(`${context.where}: the routes need ${entries.length} Gateway API matches, but an HTTPRoute holds at most ${MAX_MATCHES}: declare fewer matches, or use ReleaseOutput.istio()`);
  }
  return rules.map(({ entries: ruleEntries }) => rule(context, ruleEntries));
}

function entriesOf(route: HttpRouteModel): Entry<HttpRouteModel>[] {
  const base = { action: route, actionKey: actionKey(route), description: route.description, owner: route.owner };
  if (route.matches.length === 0) {
    return [base];
  }
  const matches = route.matches.map(gatewayMatch);
  // Without a rewrite, the exact half of a segment-aware prefix is part of the Gateway API prefix.
  const kept = matches.filter((m, i) => route.rewriteUri !== undefined || route.matches[i].segmentPrefix === undefined
    || m.path.kind !== 'exact' || !matches.some((o) => o.path.kind === 'segments' && o.path.value === route.matches[i].segmentPrefix));
  return kept.map((match) => ({ ...base, match }));
}

function actionKey(route: HttpRouteModel): string {
  return JSON.stringify([route.destinations, route.rewriteUri, route.mirror]);
}

/**
 * Entries share a rule when they do the same; a catch-all stays alone (written `matches: []` so that
 * Istio sorts it last) and so does a prefix rewrite (Gateway API allows `ReplacePrefixMatch` only
 * in a rule with exactly one PathPrefix match).
 */
function canShareRule(first: Entry<HttpRouteModel>, next: Entry<HttpRouteModel>): boolean {
  const alone = (e: Entry<HttpRouteModel>) => e.match === undefined || (e.action.rewriteUri !== undefined && e.match.path.kind !== 'exact');
  return first.actionKey === next.actionKey && !alone(first) && !alone(next);
}

function rule(context: RuleContext, entries: Entry<HttpRouteModel>[]): HttpRouteSpecRules {
  const route = entries[0].action;
  const matches = entries.map((e) => e.match).filter((m): m is GatewayMatch => m !== undefined);
  const filters: HttpRouteSpecRulesFilters[] = [];
  const rewrite = urlRewrite(route, matches[0]);
  if (rewrite) {
    filters.push(rewrite);
  }
  if (route.mirror) {
    filters.push({
      type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
      requestMirror: {
        backendRef: { name: backendName(context.service, route.mirror.version), port: context.port },
        ...mirrorShare(context, route.mirror.percent),
      },
    });
  }
  return {
    // An explicit empty list is the one match Istio always sorts last (docs/gateway-api-semantics.md §2.1).
    matches: matches.map(writeMatch),
    filters: filters.length > 0 ? filters : undefined,
    backendRefs: backendRefs(context, route.destinations),
  };
}

function writeMatch(match: GatewayMatch): HttpRouteSpecRulesMatches {
  const path = toGatewayPath(match.path);
  return {
    path: { type: path.type as HttpRouteSpecRulesMatchesPathType, value: path.value },
    headers: match.headers.length > 0 ? match.headers.map(writeHeader) : undefined,
  };
}

/** Gateway API has no header prefix match: a prefix is the quoted literal followed by anything (RE2, full match). */
function writeHeader(header: HeaderCondition) {
  if (header.exact !== undefined) {
    return { name: header.name, type: HttpRouteSpecRulesMatchesHeadersType.EXACT, value: header.exact };
  }
  const regex = header.regex ?? `${re2Quote(header.prefix!)}.*`;
  return { name: header.name, type: HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION, value: regex };
}

/**
 * A rewrite of a segment-aware prefix replaces the matched segments (`ReplacePrefixMatch`, which
 * Istio writes without doubling the slash, docs/gateway-api-semantics.md §3.2); an exact path is
 * replaced whole.
 */
function urlRewrite(route: HttpRouteModel, match: GatewayMatch | undefined): HttpRouteSpecRulesFilters | undefined {
  const rewrite = route.rewriteUri;
  if (rewrite === undefined || match === undefined) {
    return undefined;
  }
  if (match.path.kind === 'any' && rewrite === '/') {
    // Prefix '/' rewritten to '/' leaves every path as it is.
    return undefined;
  }
  if (match.path.kind === 'segments') {
    const path = { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: rewrite };
    return { type: HttpRouteSpecRulesFiltersType.URL_REWRITE, urlRewrite: { path } };
  }
  if (match.path.kind === 'exact') {
    const path = { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_FULL_PATH, replaceFullPath: rewrite };
    return { type: HttpRouteSpecRulesFiltersType.URL_REWRITE, urlRewrite: { path } };
  }
  throw new Error(`${route.owner}: route '${route.description}' rewrites the path to '${rewrite}', which Gateway API cannot write for ${match.path.kind === 'any' ? "the prefix '/' (Istio's ReplacePrefixMatch would join the rewrite and the path without a slash)" : 'a regular expression'}: use rewritePrefix '/', a longer pathPrefix, or ReleaseOutput.istio()`);
}

/** Istio drops weight-0 backends and gives a lone backend all traffic; both are written that way. */
function backendRefs(context: RuleContext, destinations: WeightedDestination[]): HttpRouteSpecRulesBackendRefs[] {
  const live = destinations.filter((d) => d.weight > 0);
  return live.map((d) => ({
    name: backendName(context.service, d.version),
    port: context.port,
    weight: live.length > 1 ? d.weight : undefined,
    // Appended, not set, so the application's own Set-Cookie headers survive (docs/gateway-api-semantics.md §3.4).
    filters: d.responseHeadersToAdd ? [{
      type: HttpRouteSpecRulesBackendRefsFiltersType.RESPONSE_HEADER_MODIFIER,
      responseHeaderModifier: { add: Object.entries(d.responseHeadersToAdd).map(([name, value]) => ({ name, value })) },
    }] : undefined,
  }));
}

/**
 * A whole percentage is written as `percent`; a fraction (12.5) as `fraction`, whose numerator and
 * denominator are integers.
 */
function mirrorShare(context: RuleContext, percent: number): { percent?: number; fraction?: { numerator: number; denominator: number } } {
  if (Number.isInteger(percent)) {
    return { percent };
  }
  for (let denominator = 1000; denominator <= 100_000_000; denominator *= 10) {
    const numerator = (percent * denominator) / 100;
    if (Math.abs(numerator - Math.round(numerator)) < 1e-9) {
      return { fraction: { numerator: Math.round(numerator), denominator } };
    }
  }
  throw new Error(`${context.where}: mirrorPercentage ${percent} has more than 6 decimals, which Gateway API's integer fraction cannot hold: round it`);
}
