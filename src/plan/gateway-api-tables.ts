import { describeHttpMatch } from './match-words';
import { destinationLabel, formatPercent } from './rule-words';
import { PlanDestination, PlanEntryKind, PlanProtocol, PlanRouteTable, PlanRule } from './types';
import { extend } from '../semantics/extend';
import { weightedBackends } from '../semantics/gateway-api/backends';
import { filtersOf, mirrorPercentage } from '../semantics/gateway-api/filters';
import { GatewayApiGateway, GatewayApiIndex, GatewayApiListener, GatewayApiRoute, ISTIO_GATEWAY_CLASS } from '../semantics/gateway-api/gateway-api-index';
import { GatewayApiMatch } from '../semantics/gateway-api/matches';
import { GatewayApiEntry, gatewayRouteTable, groupEntries, meshRouteGroups, MeshRouteGroup, routeHardError } from '../semantics/gateway-api/route-tables';
import { IndexedService, ManifestIndex } from '../semantics/manifest-index';
import { DOMAIN_SUFFIX, labelsSubsetOf } from '../semantics/names';

/**
 * Gateway API routes as plan tables, in the order Istio tries them (docs/gateway-api-semantics.md
 * §2.5, §2.6, §6.1): per Gateway of class `istio`, port and virtual host, and per Service for mesh
 * callers (one table per route group: the producer routes, each namespace's consumer routes). The
 * tables come from the semantics core; this file only puts them into words.
 */
export function gatewayApiRouteTables(index: ManifestIndex): PlanRouteTable[] {
  if (index.gatewayApiObjects.length === 0) {
    return [];
  }
  const gi = GatewayApiIndex.of(index);
  const tables: PlanRouteTable[] = [];
  for (const gateway of gi.gateways.values()) {
    if (gateway.className === ISTIO_GATEWAY_CLASS) {
      gatewayTables(gi, gateway).forEach((t) => tables.push(t));
    }
  }
  for (const svc of index.services.values()) {
    for (const kind of ['http', 'tcp'] as const) {
      meshRouteGroups(gi, svc, kind).forEach((group) => tables.push(meshTable(gi, svc, group)));
    }
  }
  return tables;
}

/** Services whose mesh traffic Gateway API routes decide (they get no default-route table). */
export function servicesWithMeshRoutes(index: ManifestIndex): Set<string> {
  if (index.gatewayApiObjects.length === 0) {
    return new Set();
  }
  const gi = GatewayApiIndex.of(index);
  return new Set(gi.attachments.filter((a) => a.service && !a.problem).map((a) => a.service!.fqdn));
}

function gatewayTables(gi: GatewayApiIndex, gateway: GatewayApiGateway): PlanRouteTable[] {
  const ref = `${gateway.namespace}/${gateway.name}`;
  const byPort = new Map<number, GatewayApiListener[]>();
  gateway.listeners.forEach((l) => byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]));
  const head = (port: number, protocol: PlanProtocol) => ({
    entryKind: PlanEntryKind.GATEWAY,
    gateway: ref,
    gateways: [ref],
    port,
    protocol,
    gatewayWorkload: `pods istiod deploys for Gateway ${ref} (${gateway.name}-${gateway.className})`,
  });
  const tables: PlanRouteTable[] = [];
  for (const [port, listeners] of byPort) {
    // plain HTTP listeners of a port share one route table; each HTTPS listener has its own (SNI)
    const sets = [listeners.filter((l) => l.protocol === 'HTTP'), ...listeners.filter((l) => l.protocol === 'HTTPS').map((l) => [l])]
      .filter((set) => set.length > 0);
    for (const set of sets) {
      const table = gatewayRouteTable(gi, gateway, set);
      for (const vhost of table.virtualHosts.filter((v) => v.entries.length > 0)) {
        // the table's service names the destinations, so it comes from the backends first
        const service = serviceOf(gi, vhost.entries.map((e) => ({ route: e.route, rule: e.rule })), [vhost.domain]);
        const rules = ruleRows(gi, vhost.entries, service);
        const notes = tableNotes(rules, table.notes, true);
        tables.push(extend(head(port, PlanProtocol.HTTP), { service, hosts: [vhost.domain], rules, notes }));
      }
    }
    for (const listener of listeners.filter((l) => l.protocol === 'TCP')) {
      const routes = gi.attachedToListener(gateway, listener).filter((a) => a.route.kind === 'TCPRoute').map((a) => a.route);
      if (routes.length > 0) {
        const service = serviceOf(gi, [{ route: routes[0], rule: routes[0].rules[0] ?? {} }], ['*']);
        const rules = [tcpRow(gi, routes[0], service)];
        const notes = routes.length > 1 ? [`${routes.length - 1} more TCPRoute(s) attach to listener ${listener.name}; only the oldest is used`] : [];
        tables.push(extend(head(port, PlanProtocol.TCP), { service, hosts: ['*'], rules, notes }));
      }
    }
  }
  return tables;
}

function meshTable(gi: GatewayApiIndex, svc: IndexedService, group: MeshRouteGroup): PlanRouteTable {
  const notes: string[] = [];
  const scope = group.namespace === svc.namespace
    ? 'producer routes: every sidecar caller, and ambient callers through the Service\'s waypoint'
    : `consumer routes: only callers in namespace ${group.namespace}, before the producer routes`;
  notes.push(`${group.routes.map((r) => `${r.kind} ${r.namespace}/${r.name}`).join(', ')} (${scope}${group.port !== undefined ? `, port ${group.port}` : ''})`);
  if (group.kind === 'tcp') {
    const route = group.routes.find((r) => !routeHardError(r));
    const tcpRules = route ? [tcpRow(gi, route, svc.fqdn)] : [];
    return { service: svc.fqdn, entryKind: PlanEntryKind.MESH, protocol: PlanProtocol.TCP, hosts: [svc.fqdn], rules: tcpRules, notes };
  }
  const rules = ruleRows(gi, groupEntries(group, notes), svc.fqdn);
  const allNotes = tableNotes(rules, notes, false);
  return { service: svc.fqdn, entryKind: PlanEntryKind.MESH, protocol: PlanProtocol.HTTP, hosts: [svc.fqdn], rules, notes: allNotes };
}

function tableNotes(rules: PlanRule[], notes: string[], atGateway: boolean): string[] {
  const out = [...notes];
  for (const r of rules.filter((x) => x.shadowedBy !== undefined)) {
    out.push(`rule ${r.position} (${r.resourceKind} ${r.virtualService} rules[${r.ruleIndex}]) never decides: rule ${r.shadowedBy} before it matches every request`);
  }
  if (!rules.some((r) => r.match === 'any request')) {
    out.push(atGateway ? 'requests no rule matches get 404 (no route)' : 'requests no rule matches get 404 (no route), not the default route');
  }
  return out.filter((n, i) => out.indexOf(n) === i);
}

/** Adjacent entries of one rule read as one row; rows after a catch-all never decide. */
function ruleRows(gi: GatewayApiIndex, entries: readonly GatewayApiEntry[], service: string): PlanRule[] {
  const rows: GatewayApiEntry[][] = [];
  for (const e of entries) {
    const last = rows[rows.length - 1];
    if (last && last[0].route === e.route && last[0].ruleIndex === e.ruleIndex) {
      last.push(e);
    } else {
      rows.push([e]);
    }
  }
  let takesAll: number | undefined;
  return rows.map((row, i) => {
    const { route, ruleIndex, rule } = row[0];
    const shadowedBy = takesAll;
    if (takesAll === undefined && row.some((e) => e.catchAll)) {
      takesAll = i + 1;
    }
    const destinations = backendDestinations(gi, route, rule.backendRefs);
    return {
      position: i + 1,
      resourceKind: route.kind,
      virtualService: `${route.namespace}/${route.name}`,
      ruleIndex,
      match: row.some((e) => e.catchAll) ? 'any request' : [...new Set(row.map((e) => matchWords(e.match)))].join(' or '),
      rewrite: rewriteWords(rule),
      action: actionWords(rule, destinations, service),
      destinations,
      mirrors: filtersOf(rule, 'RequestMirror').map((f) => toDestination(gi, route, f.requestMirror?.backendRef, mirrorPercentage(f.requestMirror))),
      shadowedBy,
    };
  });
}

function tcpRow(gi: GatewayApiIndex, route: GatewayApiRoute, service: string): PlanRule {
  const rule = route.rules[0] ?? {};
  const destinations = backendDestinations(gi, route, rule.backendRefs);
  return {
    position: 1,
    resourceKind: route.kind,
    virtualService: `${route.namespace}/${route.name}`,
    ruleIndex: 0,
    match: 'any connection',
    action: actionWords(rule, destinations, service),
    destinations,
    mirrors: [],
  };
}

function toDestination(gi: GatewayApiIndex, route: GatewayApiRoute, ref: any, percentage: number): PlanDestination {
  const namespace = ref?.namespace ?? route.namespace;
  const name = String(ref?.name ?? '');
  const host = (ref?.group ?? '') === '' ? `${name}.${namespace}.svc.${DOMAIN_SUFFIX}` : name;
  return { host, port: ref?.port === undefined ? undefined : Number(ref.port), percentage, version: versionOf(gi, host) };
}

/**
 * The version a backend Service serves when it is a version Service `<service>-<version>` selecting
 * part of `<service>`'s pods (docs/gateway-api-semantics.md §1.6), so that tables and diagrams name
 * and colour Gateway API backends by version as they do subsets.
 */
function versionOf(gi: GatewayApiIndex, host: string): string | undefined {
  const main = mainService(gi, host);
  if (main === host) {
    return undefined;
  }
  return host.slice(0, host.indexOf('.')).slice(main.indexOf('.') + 1);
}

function backendDestinations(gi: GatewayApiIndex, route: GatewayApiRoute, refs: any[] | undefined): PlanDestination[] {
  return weightedBackends(refs).kept.map((b) => toDestination(gi, route, b.ref, b.percentage));
}

/** A Gateway API match in the plan's words: `path /v1 and below`, `cookie x-version=v2`, `method GET`. */
function matchWords(match: GatewayApiMatch | undefined): string {
  if (!match) {
    return 'any request';
  }
  const headers = Object.fromEntries(match.headerConditions.map((h) => [h.name, h.type === 'Exact' ? { exact: h.value } : { regex: h.value }]));
  const queryParams = Object.fromEntries(match.queryConditions.map((q) => [q.name, q.type === 'Exact' ? { exact: q.value } : { regex: q.value }]));
  const rest = describeHttpMatch({ headers, queryParams, method: match.method ? { exact: match.method } : undefined }, { atGateway: true });
  const path = match.path;
  let pathWords: string | undefined;
  if (path?.type === 'Exact') {
    pathWords = `path ${path.value}`;
  } else if (path?.type === 'PathPrefix' && path.value !== '/') {
    pathWords = `path ${path.value.replace(/\/$/, '')} and below`;
  } else if (path?.type === 'RegularExpression') {
    // `<quoted literal>.*` is how a plain string prefix is written (docs/gateway-api-semantics.md §2.1)
    const literal = /^((?:\\.|[^\\.*+?()[\]{}|^$])*)\.\*$/.exec(path.value);
    pathWords = literal ? `path ${literal[1].replace(/\\(.)/g, '$1')}…` : `path matching ${path.value}`;
  }
  if (!pathWords) {
    return rest;
  }
  return rest === 'any request' ? pathWords : `${pathWords} and ${rest}`;
}

function rewriteWords(rule: any): string | undefined {
  const rewrite = filtersOf(rule, 'URLRewrite')[0]?.urlRewrite;
  const parts: string[] = [];
  if (rewrite?.path?.type === 'ReplacePrefixMatch') {
    parts.push(`prefix replaced by ${rewrite.path.replacePrefixMatch || '/'}`);
  } else if (rewrite?.path?.type === 'ReplaceFullPath') {
    parts.push(`rewritten to ${rewrite.path.replaceFullPath}`);
  }
  if (rewrite?.hostname) {
    parts.push(`authority rewritten to ${rewrite.hostname}`);
  }
  if (filtersOf(rule, 'RequestHeaderModifier').length > 0) {
    parts.push('request headers modified');
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function actionWords(rule: any, destinations: PlanDestination[], service: string): string {
  const redirect = filtersOf(rule, 'RequestRedirect')[0]?.requestRedirect;
  if (redirect) {
    const target = [redirect.scheme ? `scheme ${redirect.scheme}` : '', redirect.hostname ? `host ${redirect.hostname}` : '', redirect.port ? `port ${redirect.port}` : '']
      .filter((w) => w);
    return `redirect ${redirect.statusCode ?? 302}${target.length > 0 ? ` to ${target.join(', ')}` : ''}`;
  }
  const refs: any[] = Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
  if (refs.length === 0) {
    return 'respond 404 (no backendRefs)';
  }
  if (destinations.length === 0) {
    return 'respond 500 (every backend has weight 0)';
  }
  return destinations.map((d) => `${destinationLabel(d, service)} ${formatPercent(d.percentage)}`).join(', ');
}

/**
 * The Service a gateway table is filed under: the main Service of the version Services it routes to
 * (`web` for `web-v1` and `web-v2`: a Service of the same namespace whose name is the prefix and
 * whose selector the version's selector contains), else the one backend, else the hosts.
 */
function serviceOf(gi: GatewayApiIndex, rules: readonly { route: GatewayApiRoute; rule: any }[], hosts: string[]): string {
  const targets = new Set(rules.flatMap(({ route, rule }) => backendDestinations(gi, route, rule.backendRefs).map((d) => mainService(gi, d.host))));
  return targets.size === 1 ? [...targets][0] : [...hosts].sort().join(', ');
}

function mainService(gi: GatewayApiIndex, host: string): string {
  const version = gi.index.services.get(host);
  const dash = version ? version.name.lastIndexOf('-') : -1;
  if (!version || dash <= 0) {
    return host;
  }
  const main = gi.index.services.get(`${version.name.slice(0, dash)}.${version.namespace}.svc.${DOMAIN_SUFFIX}`);
  return main?.selector && version.selector && labelsSubsetOf(main.selector, version.selector) ? main.fqdn : host;
}
