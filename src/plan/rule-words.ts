import { PlanDestination } from './types';
import { mirrorDestinations, weightedDestinations } from '../semantics/destinations';
import { resolveShortname } from '../semantics/names';

/**
 * Words for what a rule does once it matched: its destinations with shares, a redirect or a fixed
 * response, and any rewrite or mirror.
 */

const CLUSTER_SUFFIX = '.svc.cluster.local';

/** `name.ns` for in-cluster FQDNs; anything else as is. */
export function shortHost(host: string): string {
  // called for every host of every row and box of a plan, so no regular expression and no copies
  if (!host.endsWith(CLUSTER_SUFFIX)) {
    return host;
  }
  const head = host.slice(0, host.length - CLUSTER_SUFFIX.length);
  const dot = head.indexOf('.');
  return dot > 0 && dot < head.length - 1 && head.indexOf('.', dot + 1) < 0 ? head : host;
}

/** Forward destinations with their share (the core's weight rules); empty when no destination has a weight. */
export function destinationsOf(route: any[] | undefined, vsNamespace: string): PlanDestination[] {
  return weightedDestinations(route).kept.map((w) => toDestination(w.destination, w.percentage, vsNamespace));
}

/** Mirror destinations of an HTTP rule, with the share of requests copied (the core's mirror rules). */
export function mirrorsOf(rule: any, vsNamespace: string): PlanDestination[] {
  return mirrorDestinations(rule).map((m) => toDestination(m.destination, m.percentage, vsNamespace));
}

function toDestination(dest: any, percentage: number, vsNamespace: string): PlanDestination {
  return {
    host: resolveShortname(String(dest.host ?? ''), vsNamespace),
    subset: dest.subset ? String(dest.subset) : undefined,
    port: dest.port?.number !== undefined ? Number(dest.port.number) : undefined,
    percentage,
  };
}

/** `75%`, `33.33%`: at most two decimals, so splits like 1/3 stay short and stable. */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

/**
 * A destination as reviewers name it: the subset alone when it belongs to the table's service,
 * otherwise the short host in front; another Service without subset (a Gateway API backend, one
 * Service per version) by its short host alone.
 */
export function destinationLabel(dest: PlanDestination, service: string): string {
  if (dest.host === service) {
    return dest.subset ?? 'all endpoints';
  }
  // a version Service of the table's service reads like a subset of it
  if (dest.version !== undefined && dest.host === versionServiceHost(service, dest.version)) {
    return dest.version;
  }
  return dest.subset ? `${shortHost(dest.host)} ${dest.subset}` : shortHost(dest.host);
}

/** `<service>-<version>` in the service's namespace, as the Gateway API output names version Services. */
function versionServiceHost(service: string, version: string): string {
  const dot = service.indexOf('.');
  return dot < 0 ? `${service}-${version}` : `${service.slice(0, dot)}-${version}${service.slice(dot)}`;
}

/** `blue 75%, green 25%`; the action for rules that do not forward. */
export function actionWords(rule: any, destinations: PlanDestination[], service: string): string {
  if (rule.redirect) {
    return `redirect ${Number(rule.redirect.redirectCode ?? 301)}${redirectTarget(rule.redirect)}`;
  }
  if (rule.directResponse) {
    return `respond ${rule.directResponse.status}`;
  }
  if (rule.delegate) {
    return `delegate to ${rule.delegate.namespace ?? 'same namespace'}/${rule.delegate.name}`;
  }
  if (destinations.length === 0) {
    return (rule.route ?? []).length > 0 ? 'nowhere: no destination has a weight' : 'nowhere: no destination';
  }
  return destinations.map((d) => `${destinationLabel(d, service)} ${formatPercent(d.percentage)}`).join(', ');
}

/** `rewritten to /`, `authority rewritten to api.internal`. */
export function rewriteWords(rule: any): string | undefined {
  const rw = rule.rewrite;
  const parts: string[] = [];
  if (rw?.uri !== undefined) {
    parts.push(`rewritten to ${rw.uri}`);
  } else if (rw?.uriRegexRewrite?.match !== undefined) {
    parts.push(`${rw.uriRegexRewrite.match} rewritten to ${rw.uriRegexRewrite.rewrite ?? ''}`);
  }
  if (rw?.authority !== undefined) {
    parts.push(`authority rewritten to ${rw.authority}`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function redirectTarget(redirect: any): string {
  const parts: string[] = [];
  if (redirect.scheme) {
    parts.push(`scheme ${redirect.scheme}`);
  }
  if (redirect.authority) {
    parts.push(`authority ${redirect.authority}`);
  }
  if (redirect.port !== undefined) {
    parts.push(`port ${redirect.port}`);
  }
  if (redirect.uri !== undefined) {
    parts.push(`path ${redirect.uri}`);
  }
  return parts.length > 0 ? ` to ${parts.join(', ')}` : '';
}
