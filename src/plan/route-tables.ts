import { describeHttpMatches, describeTcpMatches, MatchContext } from './match-words';
import { actionWords, destinationsOf, mirrorsOf, rewriteWords, shortHost } from './rule-words';
import { PlanEntryKind, PlanProtocol, PlanRouteTable, PlanRule } from './types';
import {
  hostMatches, IndexedVirtualService, isExportedTo, labelsSubsetOf, ManifestIndex, MESH_GATEWAY, resolveGatewayName,
} from '../simulator/manifest-index';

/** One Envoy route: one match entry of one rule (or the whole rule when it has no match). */
interface Entry {
  readonly vs: IndexedVirtualService;
  readonly ruleIndex: number;
  readonly rule: any;
  readonly match?: any;
  readonly catchAll: boolean;
}

/** A gateway or the mesh, as a proxy that keeps or drops match entries. */
interface EntryPoint {
  readonly kind: PlanEntryKind;
  /** `ns/name`, or `mesh`. */
  readonly name: string;
  /** Gateway pod labels and namespace, for `sourceLabels` / `sourceNamespace` on gateways (§1.3). */
  readonly labels: Record<string, string>;
  readonly namespace: string;
}

interface Draft {
  readonly entry: EntryPoint;
  readonly protocol: PlanProtocol;
  readonly host: string;
  readonly entries: Entry[];
  readonly notes: string[];
}

/**
 * Every route table of the manifests, in a stable order: by service, gateways before the mesh,
 * HTTP before TCP. Rules inside a table follow Istio's evaluation order (§1.1, §1.7, §3, §11).
 */
export function buildRouteTables(manifests: any[]): PlanRouteTable[] {
  const index = new ManifestIndex(manifests);
  const drafts: Draft[] = [];
  for (const gateway of gatewayNames(index)) {
    const entry = gatewayEntryPoint(index, gateway);
    drafts.push(...gatewayDrafts(index, entry, PlanProtocol.HTTP));
    drafts.push(...gatewayDrafts(index, entry, PlanProtocol.TCP));
  }
  const mesh: EntryPoint = { kind: PlanEntryKind.MESH, name: MESH_GATEWAY, labels: {}, namespace: '' };
  drafts.push(...meshHttpDrafts(index, mesh));
  drafts.push(...meshTcpDrafts(index, mesh));
  const tables = mergeHosts(drafts).map(toTable);
  tables.push(...defaultRouteTables(index, tables));
  return tables.sort(compareTables);
}

function gatewayNames(index: ManifestIndex): string[] {
  const names = new Set<string>();
  for (const vs of index.virtualServices) {
    vs.gateways.filter((g) => g !== MESH_GATEWAY).forEach((g) => names.add(g));
  }
  return [...names].sort();
}

/** The gateway pod as istiod sees it: a workload the selector picks, else the selector itself. */
function gatewayEntryPoint(index: ManifestIndex, name: string): EntryPoint {
  const gw = index.gateways.get(name);
  const selector: Record<string, string> = gw?.spec.selector ?? {};
  const pods = Object.keys(selector).length > 0 ? index.podsSelectedAnywhere(selector) : [];
  const pod = pods.find((p) => p.namespace === gw?.namespace) ?? pods[0];
  return {
    kind: PlanEntryKind.GATEWAY,
    name,
    labels: pod?.labels ?? selector,
    namespace: pod?.namespace ?? gw?.namespace ?? name.split('/')[0],
  };
}

/**
 * Gateway tables: the routes of every bound VirtualService are merged per host in creation order
 * and catch-alls move to the end (§1.7); TCP rules are concatenated as they are.
 */
function gatewayDrafts(index: ManifestIndex, entry: EntryPoint, protocol: PlanProtocol): Draft[] {
  const byHost = new Map<string, Draft>();
  for (const vs of index.virtualServices) {
    const rules = protocol === PlanProtocol.HTTP ? vs.spec.http : vs.spec.tcp;
    if (!vs.gateways.includes(entry.name) || !Array.isArray(rules) || rules.length === 0) {
      continue;
    }
    const notes: string[] = [];
    if (!isExportedTo(vs.spec.exportTo, vs.namespace, entry.namespace)) {
      notes.push(`${ref(vs)} is not exported to the gateway namespace ${entry.namespace}, so the gateway ignores it`);
    }
    const entries = notes.length > 0 ? [] : protocol === PlanProtocol.HTTP
      ? httpEntries(vs, entry, notes)
      : tcpEntries(vs, entry, notes);
    for (const host of vs.hosts) {
      const draft = byHost.get(host) ?? { entry, protocol, host, entries: [], notes: [] };
      draft.entries.push(...entries);
      draft.notes.push(...notes);
      byHost.set(host, draft);
    }
  }
  return [...byHost.values()].map((d) => (protocol === PlanProtocol.HTTP
    ? { ...d, entries: [...d.entries.filter((e) => !e.catchAll), ...d.entries.filter((e) => e.catchAll)] }
    : d));
}

/**
 * Sidecar HTTP tables: no merging; the oldest VirtualService claiming a host wins it (§1.7).
 */
function meshHttpDrafts(index: ManifestIndex, mesh: EntryPoint): Draft[] {
  const byHost = new Map<string, Draft>();
  const owner = new Map<string, IndexedVirtualService>();
  for (const vs of index.virtualServices) {
    if (!vs.gateways.includes(MESH_GATEWAY) || !Array.isArray(vs.spec.http) || vs.spec.http.length === 0) {
      continue;
    }
    for (const host of vs.hosts) {
      const winner = owner.get(host);
      if (winner) {
        byHost.get(host)!.notes.push(`${ref(vs)} also claims ${host}; sidecars use only the oldest claim, ${ref(winner)}`);
        continue;
      }
      const notes: string[] = [];
      owner.set(host, vs);
      byHost.set(host, { entry: mesh, protocol: PlanProtocol.HTTP, host, entries: httpEntries(vs, mesh, notes), notes });
    }
  }
  return [...byHost.values()];
}

/** Sidecar TCP tables: VirtualServices are tried in creation order, first matching rule wins (§3). */
function meshTcpDrafts(index: ManifestIndex, mesh: EntryPoint): Draft[] {
  const byHost = new Map<string, Draft>();
  for (const vs of index.virtualServices) {
    if (!vs.gateways.includes(MESH_GATEWAY) || !Array.isArray(vs.spec.tcp) || vs.spec.tcp.length === 0) {
      continue;
    }
    const notes: string[] = [];
    const entries = tcpEntries(vs, mesh, notes);
    for (const host of vs.hosts) {
      const draft = byHost.get(host) ?? { entry: mesh, protocol: PlanProtocol.TCP, host, entries: [], notes: [] };
      draft.entries.push(...entries);
      draft.notes.push(...notes);
      byHost.set(host, draft);
    }
  }
  return [...byHost.values()];
}

/**
 * The HTTP match entries an entry point keeps, stopping after the first catch-all (§1.1–§1.3).
 * In the mesh, `sourceLabels` / `sourceNamespace` select callers, so only an entry without them
 * ends the list for everyone.
 */
function httpEntries(vs: IndexedVirtualService, entry: EntryPoint, notes: string[]): Entry[] {
  const out: Entry[] = [];
  const rules: any[] = vs.spec.http ?? [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] ?? {};
    const matches: any[] = Array.isArray(rule.match) ? rule.match : [];
    let endsList = matches.length === 0;
    if (matches.length === 0) {
      out.push({ vs, ruleIndex, rule, catchAll: true });
    }
    for (const raw of matches) {
      const match = raw ?? {};
      const dropped = droppedBecause(match, vs.namespace, entry);
      if (dropped) {
        notes.push(`${ref(vs)} http[${ruleIndex}] ${dropped}`);
        continue;
      }
      const catchAll = isCatchAll(match);
      out.push({ vs, ruleIndex, rule, match, catchAll });
      if (catchAll && (entry.kind === PlanEntryKind.GATEWAY || !selectsCallers(match))) {
        endsList = true;
        break;
      }
    }
    if (endsList) {
      if (ruleIndex + 1 < rules.length) {
        const later = rules.length - ruleIndex - 1;
        notes.push(`${ref(vs)} http[${ruleIndex}] matches every request, so the ${later} rule${later > 1 ? 's' : ''} after it never appl${later > 1 ? 'y' : 'ies'}`);
      }
      break;
    }
  }
  return out;
}

/** TCP matches keep gateways AND sourceLabels AND sourceNamespace as selectors (§1.2, §3). */
function tcpEntries(vs: IndexedVirtualService, entry: EntryPoint, notes: string[]): Entry[] {
  const out: Entry[] = [];
  const rules: any[] = vs.spec.tcp ?? [];
  rules.forEach((raw, ruleIndex) => {
    const rule = raw ?? {};
    const matches: any[] = Array.isArray(rule.match) ? rule.match : [];
    if (matches.length === 0) {
      out.push({ vs, ruleIndex, rule, catchAll: true });
      return;
    }
    for (const m of matches) {
      const match = m ?? {};
      const gateways: string[] = (match.gateways ?? []).map((g: any) => resolveGatewayName(String(g), vs.namespace));
      if (gateways.length > 0 && !gateways.includes(entry.name)) {
        notes.push(`${ref(vs)} tcp[${ruleIndex}] applies only to ${gateways.join(', ')}`);
        continue;
      }
      if (entry.kind === PlanEntryKind.GATEWAY && !gatewayPodSelected(match, entry)) {
        notes.push(`${ref(vs)} tcp[${ruleIndex}] selects callers (${selectorWords(match)}), which the gateway pod is not`);
        continue;
      }
      out.push({ vs, ruleIndex, rule, match, catchAll: false });
    }
  });
  return out;
}

/**
 * Why an HTTP match entry never exists on this entry point: match-level gateways decide alone;
 * otherwise a gateway pod must carry the `sourceLabels` and live in `sourceNamespace` (§1.2, §1.3).
 */
function droppedBecause(match: any, vsNamespace: string, entry: EntryPoint): string | undefined {
  const gateways: string[] = (match.gateways ?? []).map((g: any) => resolveGatewayName(String(g), vsNamespace));
  if (gateways.length > 0) {
    return gateways.includes(entry.name) ? undefined : `applies only to ${gateways.join(', ')}`;
  }
  if (entry.kind === PlanEntryKind.GATEWAY && !gatewayPodSelected(match, entry)) {
    return `selects callers (${selectorWords(match)}), which the gateway pod is not, so the gateway skips it`;
  }
  return undefined;
}

function gatewayPodSelected(match: any, entry: EntryPoint): boolean {
  return labelsSubsetOf(match.sourceLabels, entry.labels) && (!match.sourceNamespace || match.sourceNamespace === entry.namespace);
}

function selectsCallers(match: any): boolean {
  return Object.keys(match.sourceLabels ?? {}).length > 0 || !!match.sourceNamespace;
}

function selectorWords(match: any): string {
  const parts = Object.entries(match.sourceLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (match.sourceNamespace) {
    parts.push(`namespace ${match.sourceNamespace}`);
  }
  return parts.join(', ');
}

function nonEmpty(obj: any): boolean {
  return obj !== undefined && obj !== null && Object.keys(obj).length > 0;
}

/** istiod's `IsCatchAllRoute`: every path, no header, query, method, authority or scheme condition. */
function isCatchAll(match: any): boolean {
  const uri = match.uri;
  const anyPath = uri === undefined || !nonEmpty(uri) || uri.prefix === '/' || (uri.regex === '*' && Object.keys(uri).length === 1);
  return anyPath && !nonEmpty(match.headers) && !nonEmpty(match.withoutHeaders) && !nonEmpty(match.queryParams)
    && match.method === undefined && match.authority === undefined && match.scheme === undefined;
}

/** Hosts whose rule lists are identical share one table, so a VS with several hosts reads once. */
function mergeHosts(drafts: Draft[]): { first: Draft; hosts: string[] }[] {
  const groups = new Map<string, { first: Draft; hosts: string[] }>();
  for (const d of drafts) {
    const key = JSON.stringify([d.entry.name, d.protocol, d.entries.map((e) => [ref(e.vs), e.ruleIndex, e.match ?? null]), d.notes]);
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
  const { entry, protocol, entries, notes } = group.first;
  // adjacent entries of one rule read as one row: `path /v1/… or path /v1`
  const rows: Entry[][] = [];
  for (const e of entries) {
    const last = rows[rows.length - 1];
    if (last && last[0].vs === e.vs && last[0].ruleIndex === e.ruleIndex) {
      last.push(e);
    } else {
      rows.push([e]);
    }
  }
  const service = tableService(rows, group.hosts);
  const context: MatchContext = { atGateway: entry.kind === PlanEntryKind.GATEWAY };
  const rules: PlanRule[] = rows.map((row, i) => {
    const { vs, ruleIndex, rule } = row[0];
    const matches = row.some((e) => e.match === undefined) ? [] : row.map((e) => e.match);
    const destinations = destinationsOf(rule.route, vs.namespace);
    return {
      position: i + 1,
      virtualService: ref(vs),
      ruleIndex,
      match: protocol === PlanProtocol.HTTP ? describeHttpMatches(matches, context) : describeTcpMatches(matches, context),
      rewrite: protocol === PlanProtocol.HTTP ? rewriteWords(rule) : undefined,
      action: actionWords(rule, destinations, service),
      destinations,
      mirrors: protocol === PlanProtocol.HTTP ? mirrorsOf(rule, vs.namespace) : [],
    };
  });
  const allNotes = [...notes];
  const lastRow = rows[rows.length - 1];
  const endsWithCatchAll = lastRow?.some((e) => e.catchAll && (entry.kind === PlanEntryKind.GATEWAY || !selectsCallers(e.match ?? {})));
  if (protocol === PlanProtocol.HTTP && !endsWithCatchAll) {
    allNotes.push(entry.kind === PlanEntryKind.GATEWAY
      ? 'requests no rule matches get 404 (no route)'
      : 'requests no rule matches get 404 (no route); callers for whom every rule is deselected by sourceLabels/sourceNamespace use the default route to all endpoints');
  }
  return {
    service,
    entryKind: entry.kind,
    gateway: entry.kind === PlanEntryKind.GATEWAY ? entry.name : undefined,
    protocol,
    hosts: [...group.hosts].sort(),
    rules,
    notes: allNotes.filter((n, i) => allNotes.indexOf(n) === i),
  };
}

/** The one service every rule forwards to, else the hosts the table answers for. */
function tableService(rows: Entry[][], hosts: string[]): string {
  const targets = new Set<string>();
  for (const row of rows) {
    destinationsOf(row[0].rule.route, row[0].vs.namespace).forEach((d) => targets.add(d.host));
  }
  return targets.size === 1 ? [...targets][0] : [...hosts].sort().join(', ');
}

/**
 * Services no mesh VirtualService claims: sidecars send them to all endpoints (§1.6). Listing
 * them shows reviewers which services have no release routing at all.
 */
function defaultRouteTables(index: ManifestIndex, tables: PlanRouteTable[]): PlanRouteTable[] {
  const meshHosts = tables.filter((t) => t.entryKind === PlanEntryKind.MESH).flatMap((t) => t.hosts);
  const out: PlanRouteTable[] = [];
  for (const svc of [...index.services.values()].sort((a, b) => (a.fqdn < b.fqdn ? -1 : 1))) {
    if (meshHosts.some((h) => hostMatches(svc.fqdn, h))) {
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

function compareTables(a: PlanRouteTable, b: PlanRouteTable): number {
  const key = (t: PlanRouteTable) => [
    shortHost(t.service),
    t.entryKind === PlanEntryKind.GATEWAY ? '0' : '1',
    t.gateway ?? '',
    t.protocol,
    t.hosts.join(','),
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) {
      return ka[i] < kb[i] ? -1 : 1;
    }
  }
  return 0;
}

function ref(vs: IndexedVirtualService): string {
  return `${vs.namespace}/${vs.name}`;
}
