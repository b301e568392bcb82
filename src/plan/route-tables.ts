import { gatewayApiRouteTables, servicesWithMeshRoutes } from './gateway-api-tables';
import { describeHttpMatches, describeTcpMatches, MatchContext } from './match-words';
import { actionWords, destinationsOf, mirrorsOf, rewriteWords, shortHost } from './rule-words';
import { PlanDestination, PlanEntryKind, PlanProtocol, PlanRouteTable, PlanRule } from './types';
import { extend } from '../semantics/extend';
import { GatewayRouteTable, GatewayTopology, GatewayWorkload } from '../semantics/gateways';
import { IndexedVirtualService, ManifestIndex } from '../semantics/manifest-index';
import { MESH_GATEWAY } from '../semantics/names';
import { isHttpServer } from '../semantics/protocols';
import { RouteEntry } from '../semantics/routes';
import { meshRouteTables } from '../semantics/sidecars';

/**
 * Renders the semantics core's route tables as plan tables: gateway tables per gateway workload, port
 * and virtual host (merged as istiod merges Gateways that select the same pods), mesh tables per
 * VirtualService host, and default routes for Services no mesh VirtualService claims. Nothing here
 * decides routing; it only puts the core's answers into words.
 */

/** What Envoy answers an HTTP request no route of the virtual host matches. */
const NO_ROUTE = '404 (no route)';

/** One route table before words: who evaluates which entries for one host. */
interface Draft {
  readonly entryKind: PlanEntryKind;
  /** Identity of the entry point (workload and port, or `mesh`), for grouping hosts with identical rules. */
  readonly entryKey: string;
  readonly gateway?: string;
  readonly gateways?: string[];
  readonly gatewayWorkload?: string;
  readonly port?: number;
  readonly protocol: PlanProtocol;
  readonly host: string;
  readonly entries: RouteEntry[];
  readonly notes: string[];
  /** The virtual host answers plain HTTP with a redirect to https before any route (`httpsRedirect`). */
  readonly redirectsToHttps?: boolean;
}

/**
 * Every route table of the manifests, in a stable order: by service, gateways before the mesh,
 * HTTP before TCP. Rules inside a table follow Istio's evaluation order.
 */
export function buildRouteTables(manifests: any[]): PlanRouteTable[] {
  const index = new ManifestIndex(manifests);
  const drafts: Draft[] = [...gatewayDrafts(index), ...meshDrafts(index)];
  const tables = mergeHosts(drafts).map(toTable);
  gatewayApiRouteTables(index).forEach((t) => tables.push(t));
  defaultRouteTables(index).forEach((t) => tables.push(t));
  return sortTables(tables);
}

/** Gateway tables: per workload and port, one per virtual host; Gateways outside the manifests get one table each. */
function gatewayDrafts(index: ManifestIndex): Draft[] {
  const topology = GatewayTopology.of(index);
  const drafts: Draft[] = [];
  for (const workload of topology.workloads()) {
    const merged = topology.merge(workload);
    for (const mp of [...merged.ports.values()].sort((a, b) => a.port - b.port)) {
      const skipped = merged.skipped.filter((k) => k.server.port === mp.port)
        .map((k) => `istiod skips server ${k.server.serverIndex} of gateway ${k.server.gateway} on these pods: ${k.reason}`);
      for (const table of topology.httpRouteTables(workload, mp.port)) {
        httpDrafts(table, skipped).forEach((d) => drafts.push(d));
      }
      const tcpServers = [...(mp.tcpServer ? [mp.tcpServer] : []), ...mp.tlsServers.filter((s) => !isHttpServer(s.raw))];
      for (const server of tcpServers) {
        const notes: string[] = [...skipped];
        const entries = topology.tcpRoutes(workload, server, notes);
        if (entries.length === 0) {
          continue;
        }
        if (entries.length > 1) {
          notes.push('tcp rules have no runtime condition on a gateway: rule 1 takes every connection');
        }
        for (const host of new Set(server.hosts.map((h) => h.host))) {
          drafts.push(extend(gatewayIdentity(workload, mp.port, [server.gateway]), { protocol: PlanProtocol.TCP, host, entries, notes }));
        }
      }
    }
  }
  const external = new Set<string>();
  for (const vs of index.virtualServices) {
    vs.gateways.filter((g) => g !== MESH_GATEWAY && !index.gateways.has(g)).forEach((g) => external.add(g));
  }
  for (const gateway of [...external].sort()) {
    httpDrafts(topology.externalRouteTable(gateway), []).forEach((d) => drafts.push(d));
  }
  return drafts;
}

function gatewayIdentity(workload: GatewayWorkload, port: number, gateways: string[]) {
  const external = workload.key.startsWith('external:');
  return {
    entryKind: PlanEntryKind.GATEWAY,
    entryKey: `${workload.key}|${port}`,
    gateway: gateways[0],
    gateways,
    gatewayWorkload: workload.description,
    port: external ? undefined : port,
  };
}

function httpDrafts(table: GatewayRouteTable, extraNotes: string[]): Draft[] {
  // notes by VirtualService, so each virtual host picks its own without scanning all of them
  const notesByVs = new Map<IndexedVirtualService, string[]>();
  for (const n of table.notes) {
    const list = notesByVs.get(n.vs) ?? [];
    list.push(n.text);
    notesByVs.set(n.vs, list);
  }
  return table.virtualHosts.filter((vh) => vh.routes.length > 0 || vh.httpsRedirect).map((vh) => {
    const notes = [...extraNotes];
    new Set(vh.routes.map((r) => r.vs)).forEach((vs) => (notesByVs.get(vs) ?? []).forEach((n) => notes.push(n)));
    return extend(gatewayIdentity(table.workload, table.port, [...vh.gateways].sort()), {
      protocol: PlanProtocol.HTTP,
      host: vh.domain,
      entries: vh.routes,
      notes,
      redirectsToHttps: vh.httpsRedirect,
    });
  });
}

function meshDrafts(index: ManifestIndex): Draft[] {
  return meshRouteTables(index).map((t) => ({
    entryKind: PlanEntryKind.MESH,
    entryKey: MESH_GATEWAY,
    protocol: t.protocol === 'http' ? PlanProtocol.HTTP : PlanProtocol.TCP,
    host: t.host,
    entries: t.routes,
    notes: t.notes,
  }));
}

/** Hosts whose rule lists are identical share one table, so a VirtualService with several hosts reads once. */
function mergeHosts(drafts: Draft[]): { first: Draft; hosts: string[] }[] {
  const groups = new Map<string, { first: Draft; hosts: string[] }>();
  for (const d of drafts) {
    // control characters cannot occur in names or notes, so they separate the parts unambiguously
    const rules = d.entries.map((e) => `${e.vs.order}|${e.ruleIndex}|${e.matchIndex ?? ''}`).join('\u0001');
    const key = [d.entryKey, (d.gateways ?? []).join('\u0001'), d.protocol, d.redirectsToHttps ? 1 : 0, rules, d.notes.join('\u0001')].join('\u0000');
    const group = groups.get(key);
    if (group) {
      group.hosts.push(d.host);
    } else {
      groups.set(key, { first: d, hosts: [d.host] });
    }
  }
  return [...groups.values()];
}

function toTable(group: { first: Draft; hosts: string[] }): PlanRouteTable {
  const d = group.first;
  const atGateway = d.entryKind === PlanEntryKind.GATEWAY;
  // adjacent entries of one rule read as one row: `path /v1/… or path /v1`
  const rows: RouteEntry[][] = [];
  for (const e of d.entries) {
    const last = rows[rows.length - 1];
    if (last && last[0].vs === e.vs && last[0].ruleIndex === e.ruleIndex) {
      last.push(e);
    } else {
      rows.push([e]);
    }
  }
  const rowDestinations = rows.map((row) => destinationsOf(row[0].rule.route, row[0].vs.namespace));
  const service = tableService(rowDestinations, group.hosts);
  const context: MatchContext = { atGateway };
  const notes = [...d.notes];
  let takesAll: number | undefined;
  const rules: PlanRule[] = rows.map((row, i) => {
    const { vs, ruleIndex, rule } = row[0];
    const matches = row.some((e) => e.match === undefined) ? [] : row.map((e) => e.match);
    const destinations = rowDestinations[i];
    const shadowedBy = takesAll;
    if (shadowedBy !== undefined) {
      notes.push(`rule ${i + 1} (${ref(vs)} ${d.protocol === PlanProtocol.HTTP ? 'http' : 'tcp'}[${ruleIndex}]) never decides: rule ${shadowedBy} before it matches every request`);
    }
    if (takesAll === undefined && row.some((e) => (e.catchAll && !e.callerDependent) || (d.protocol === PlanProtocol.TCP && atGateway))) {
      takesAll = i + 1;
    }
    return {
      position: i + 1,
      virtualService: ref(vs),
      ruleIndex,
      match: d.protocol === PlanProtocol.HTTP ? describeHttpMatches(matches, context) : describeTcpMatches(matches, context),
      rewrite: d.protocol === PlanProtocol.HTTP ? rewriteWords(rule) : undefined,
      action: actionWords(rule, destinations, service),
      destinations,
      mirrors: d.protocol === PlanProtocol.HTTP ? mirrorsOf(rule, vs.namespace) : [],
      shadowedBy,
    };
  });
  if (d.redirectsToHttps) {
    // require_tls answers every plain-HTTP request before any route is looked at
    return extend(tableHead(d, service, group.hosts), {
      rules: [{ position: 1, virtualService: '', ruleIndex: 0, match: `any plain-HTTP request (port ${d.port ?? 80})`, action: 'redirect 301 to https (httpsRedirect)', destinations: [], mirrors: [] }],
      notes: [],
    });
  }
  const unmatched = d.protocol === PlanProtocol.HTTP && takesAll === undefined ? NO_ROUTE : undefined;
  if (unmatched) {
    notes.push(atGateway
      ? `requests no rule matches get ${NO_ROUTE}`
      : `requests no rule matches get ${NO_ROUTE}; callers for whom every rule is deselected by sourceLabels/sourceNamespace use the default route to all endpoints`);
  }
  return extend(tableHead(d, service, group.hosts), { rules, notes: notes.filter((n, i) => notes.indexOf(n) === i), unmatched });
}

function tableHead(d: Draft, service: string, hosts: string[]) {
  return {
    service,
    entryKind: d.entryKind,
    gateway: d.gateway,
    gateways: d.gateways,
    gatewayWorkload: d.gatewayWorkload,
    port: d.port,
    protocol: d.protocol,
    hosts: [...hosts].sort(),
  };
}

/** The one service every rule forwards to, else the hosts the table answers for. */
function tableService(rowDestinations: PlanDestination[][], hosts: string[]): string {
  const targets = new Set<string>();
  for (const destinations of rowDestinations) {
    destinations.forEach((d) => targets.add(d.host));
  }
  return targets.size === 1 ? [...targets][0] : [...hosts].sort().join(', ');
}

/**
 * Services no mesh VirtualService claims: sidecars send them to all endpoints. Listing them shows
 * reviewers which services have no release routing at all.
 */
function defaultRouteTables(index: ManifestIndex): PlanRouteTable[] {
  const out: PlanRouteTable[] = [];
  const routedByGatewayApi = servicesWithMeshRoutes(index);
  for (const svc of [...index.services.values()].sort((a, b) => (a.fqdn < b.fqdn ? -1 : 1))) {
    const claimed = routedByGatewayApi.has(svc.fqdn) || index.meshVirtualServicesForHost(svc.fqdn).some((vs) => hasRules(vs, 'http') || hasRules(vs, 'tcp'));
    if (claimed) {
      continue;
    }
    out.push({
      service: svc.fqdn,
      entryKind: PlanEntryKind.MESH,
      protocol: PlanProtocol.HTTP,
      hosts: [svc.fqdn],
      rules: [{
        position: 1,
        virtualService: '',
        ruleIndex: 0,
        match: 'any request',
        action: 'all endpoints 100% (no VirtualService: default route)',
        destinations: [{ host: svc.fqdn, percentage: 100 }],
        mirrors: [],
      }],
      notes: [],
    });
  }
  return out;
}

function hasRules(vs: IndexedVirtualService, list: 'http' | 'tcp'): boolean {
  return Array.isArray(vs.spec[list]) && vs.spec[list].length > 0;
}

/** Sorts by service, gateways before the mesh, gateway, port, protocol, hosts; each key computed once. */
function sortTables(tables: PlanRouteTable[]): PlanRouteTable[] {
  const keyed = tables.map((t) => ({
    t,
    key: [
      shortHost(t.service),
      t.entryKind === PlanEntryKind.GATEWAY ? '0' : '1',
      t.gateway ?? '',
      (t.gateways ?? []).join(','),
      String(t.port ?? 0).padStart(5, '0'),
      t.protocol,
      t.hosts.join(','),
    ],
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      if (a.key[i] !== b.key[i]) {
        return a.key[i] < b.key[i] ? -1 : 1;
      }
    }
    return 0;
  });
  return keyed.map((k) => k.t);
}

function ref(vs: IndexedVirtualService): string {
  return `${vs.namespace}/${vs.name}`;
}
