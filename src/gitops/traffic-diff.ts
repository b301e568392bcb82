import { FLUX_BASE, FLUX_ROUTES } from './flux-layout';
import { LocatedObject } from './manifest-files';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { TrafficPlan } from '../plan/traffic-plan';
import { PlanDestination, PlanRouteTable } from '../plan/types';
import { labelsSubsetOf, resolveShortname } from '../semantics/names';

/** How one traffic-plan row differs between two outputs. */
export enum RowChangeKind {
  /** Only in the head output. */
  ADDED = 'added',
  /** Only in the base output. */
  REMOVED = 'removed',
  /** In both, with another share. */
  CHANGED = 'changed',
}

/** One row of the traffic plan (an entry point, a rule, a destination) that differs. */
export interface TrafficRowChange {
  readonly kind: RowChangeKind;
  /** The route table: entry point, protocol and hosts. */
  readonly table: string;
  /** The rule's condition in words, numbered when one table repeats it. */
  readonly rule: string;
  /** Where the rule sends traffic: host, port and subset, or what it answers instead. */
  readonly destination: string;
  /** Share in the base output, in percent; undefined when added or when the rule forwards nowhere. */
  readonly before?: number;
  /** Share in the head output, in percent; undefined when removed or when the rule forwards nowhere. */
  readonly after?: number;
}

/** What moves between two outputs, and whether applying the head after the base is safe. */
export interface TrafficDiff {
  /** Changed rows, grouped by table and rule, in the order the plan lists them. */
  readonly changes: TrafficRowChange[];
  /** Why applying the change could drop requests; empty when it is safe. */
  readonly problems: string[];
}

/**
 * Compares two synthesized outputs through their traffic plans and judges the change as a GitOps
 * tool applies it, with the base live and the head arriving object by object. Unsafe:
 *
 * - a Service, version (DestinationRule subset) or the workloads of a version removed while the
 *   base still sends it traffic: the removal can land before the routes move away, and requests
 *   fail until they do (retire first, sync, then remove);
 * - a route to a subset the same change creates, unless the output orders the two: the route can
 *   reach the proxies before the subset or the version's pods exist. The output orders them when
 *   the subset's DestinationRule and every new workload of the version have a lower ArgoCD sync wave
 *   than the VirtualService, or sit in the chart's Flux `base/` folder while the VirtualService is
 *   in its `routes/` folder (applied only once `base/` is ready). Routes of a host the base did
 *   not serve at all are new, not changed, and need no ordering.
 *
 * Costs one traffic plan per output and a few indexes: linear in the objects.
 */
export function diffTraffic(base: LocatedObject[], head: LocatedObject[]): TrafficDiff {
  const baseTables = TrafficPlan.fromManifests(base.map((o) => o.object)).routeTables;
  const headTables = TrafficPlan.fromManifests(head.map((o) => o.object)).routeTables;
  const baseIndex = new OutputIndex(base);
  const headIndex = new OutputIndex(head);
  return {
    changes: rowChanges(rowsOf(baseTables), rowsOf(headTables)),
    problems: [
      ...removalsStillRouted(routesOf(baseTables), baseIndex, headIndex),
      ...unorderedNewSubsets(routesOf(headTables), baseIndex, headIndex),
    ],
  };
}

/** table -> rule -> destination -> share (undefined for rules that forward nowhere). */
type Rows = Map<string, Map<string, Map<string, number | undefined>>>;

function rowsOf(tables: PlanRouteTable[]): Rows {
  const rows: Rows = new Map();
  for (const table of tables) {
    const label = `${table.gateway ? `gateway ${table.gateway}` : 'mesh'}, ${table.protocol.toLowerCase()}, ${table.hosts.join(' ')}`;
    const rules = rows.get(label) ?? new Map<string, Map<string, number | undefined>>();
    rows.set(label, rules);
    const seen = new Map<string, number>();
    for (const rule of table.rules) {
      const count = (seen.get(rule.match) ?? 0) + 1;
      seen.set(rule.match, count);
      const destinations = new Map<string, number | undefined>();
      rules.set(count > 1 ? `${rule.match} (#${count})` : rule.match, destinations);
      if (rule.destinations.length === 0) {
        destinations.set(rule.action, undefined);
      }
      for (const d of rule.destinations) {
        const name = destinationName(d);
        destinations.set(name, (destinations.get(name) ?? 0) + d.percentage);
      }
    }
  }
  return rows;
}

function destinationName(d: PlanDestination): string {
  return `${d.host}${d.port === undefined ? '' : `:${d.port}`}${d.subset ? ` subset ${d.subset}` : ' (all endpoints)'}`;
}

/** Per table and rule (head order first, then what only the base has): removed, changed, added. */
function rowChanges(base: Rows, head: Rows): TrafficRowChange[] {
  const changes: TrafficRowChange[] = [];
  for (const table of union(head.keys(), base.keys())) {
    const baseRules = base.get(table) ?? new Map();
    const headRules = head.get(table) ?? new Map();
    for (const rule of union(headRules.keys(), baseRules.keys())) {
      const before: Map<string, number | undefined> = baseRules.get(rule) ?? new Map();
      const after: Map<string, number | undefined> = headRules.get(rule) ?? new Map();
      const row = (kind: RowChangeKind, destination: string) => (
        { kind, table, rule, destination, before: before.get(destination), after: after.get(destination) });
      for (const destination of before.keys()) {
        if (!after.has(destination)) {
          changes.push(row(RowChangeKind.REMOVED, destination));
        } else if (Math.abs((before.get(destination) ?? 0) - (after.get(destination) ?? 0)) > 1e-9) {
          changes.push(row(RowChangeKind.CHANGED, destination));
        }
      }
      for (const destination of after.keys()) {
        if (!before.has(destination)) {
          changes.push(row(RowChangeKind.ADDED, destination));
        }
      }
    }
  }
  return changes;
}

function union(first: Iterable<string>, second: Iterable<string>): string[] {
  return [...new Set([...first, ...second])];
}

/** A destination that gets a share of real requests, and the VirtualService (`ns/name`) that sends it. */
interface Route {
  readonly virtualService: string;
  readonly host: string;
  readonly subset?: string;
}

function routesOf(tables: PlanRouteTable[]): Route[] {
  const routes: Route[] = [];
  for (const table of tables) {
    for (const rule of table.rules) {
      for (const d of rule.destinations) {
        if (d.percentage > 0) {
          routes.push({ virtualService: rule.virtualService, host: d.host, subset: d.subset });
        }
      }
    }
  }
  return routes;
}

function removalsStillRouted(routes: Route[], base: OutputIndex, head: OutputIndex): string[] {
  const problems = new Map<string, string>();
  const report = (key: string, message: string) => {
    if (!problems.has(key)) {
      problems.set(key, message);
    }
  };
  for (const route of routes) {
    const via = `(VirtualService ${route.virtualService})`;
    const service = base.services.get(route.host);
    if (service && !head.services.has(route.host)) {
      report(route.host, `Service ${ref(service.object)} (${route.host}) is removed while the base output still routes traffic to it ${via}: remove its routes first, let that change sync, then remove the Service`);
      continue;
    }
    const version = route.subset === undefined ? '' : `version '${route.subset}' of `;
    const key = subsetKey(route.host, route.subset);
    if (route.subset !== undefined && base.subsets.has(key) && !head.subsets.has(key)) {
      report(key, `${version}${route.host} is removed while the base output still routes traffic to it ${via}: retire it first (retired: true), let that change sync, then remove it`);
      continue;
    }
    const pods = base.workloadsOf(route.host, route.subset);
    if (pods.length > 0 && pods.every((w) => !head.workloads.has(w.key))) {
      report(`${key}|workload`, `the workloads of ${version}${route.host} (${pods.map((w) => `${w.object.kind} ${ref(w.object)}`).join(', ')}) are removed while the base output still routes traffic to them ${via}: move the traffic away first, let that change sync, then remove them`);
    }
  }
  return [...problems.values()];
}

function unorderedNewSubsets(routes: Route[], base: OutputIndex, head: OutputIndex): string[] {
  const problems = new Map<string, string>();
  for (const route of routes) {
    const key = route.subset === undefined ? undefined : subsetKey(route.host, route.subset);
    const subset = key === undefined ? undefined : head.subsets.get(key);
    if (key === undefined || !subset || base.subsets.has(key) || !base.hosts.has(route.host) || problems.has(key)) {
      continue;
    }
    const virtualService = head.virtualServices.get(route.virtualService);
    const newPods = head.workloadsOf(route.host, route.subset).filter((w) => !base.workloads.has(w.key));
    const first = [subset.rule, ...newPods.map((w) => w.located)];
    if (!virtualService || !first.every((o) => appliedBefore(o, virtualService))) {
      problems.set(key, `VirtualService ${route.virtualService} sends traffic to version '${route.subset}' of ${route.host}, whose subset this change creates, and nothing applies the DestinationRule ${ref(subset.rule.object)}${newPods.length > 0 ? ' and the version\'s workloads' : ''} before the route: requests can fail with 503 until they arrive; add the version without traffic first and route to it in a later change, or order the output (GitOpsApp argoCdSyncWaves or fluxKustomizations)`);
    }
  }
  return [...problems.values()];
}

/** Whether the output makes a GitOps tool apply `first` (and wait for it) before `then`. */
function appliedBefore(first: LocatedObject, then: LocatedObject): boolean {
  if (syncWave(first.object) < syncWave(then.object)) {
    return true;
  }
  const a = first.file.split('/');
  const b = then.file.split('/');
  return a.length > 2 && b.length > 2 && a[0] === b[0] && a[1] === FLUX_BASE && b[1] === FLUX_ROUTES;
}

function syncWave(object: any): number {
  const wave = Number(object.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
  return Number.isFinite(wave) ? wave : 0;
}

function subsetKey(host: string, subset: string | undefined): string {
  return `${host}|${subset ?? ''}`;
}

function ref(object: any): string {
  return `${object.metadata?.namespace ?? 'default'}/${object.metadata?.name}`;
}

interface Workload {
  readonly key: string;
  readonly object: any;
  readonly located: LocatedObject;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** Services, subsets, workloads and VirtualServices of one output, by the keys the checks need. */
class OutputIndex {
  /** Services by cluster host name. */
  public readonly services = new Map<string, LocatedObject>();
  /** DestinationRule subsets by `host|subset`. */
  public readonly subsets = new Map<string, { rule: LocatedObject; labels: Record<string, string> }>();
  /** Hosts with a Service or a DestinationRule. */
  public readonly hosts = new Set<string>();
  /** Workloads (anything with a pod template, and Pods) by `kind|namespace|name`. */
  public readonly workloads = new Map<string, Workload>();
  /** VirtualServices by `namespace/name`. */
  public readonly virtualServices = new Map<string, LocatedObject>();
  /** Workloads by `namespace|label=value` of each pod label, so a selector looks at its candidates only. */
  private readonly workloadsByLabel = new Map<string, Workload[]>();

  constructor(objects: LocatedObject[]) {
    for (const located of objects) {
      const o = located.object;
      const namespace: string = o.metadata?.namespace ?? 'default';
      if (o.kind === 'Service' && typeof o.metadata?.name === 'string') {
        const host = resolveShortname(o.metadata.name, namespace);
        this.services.set(host, located);
        this.hosts.add(host);
      } else if (o.kind === 'DestinationRule' && typeof o.spec?.host === 'string') {
        const host = resolveShortname(o.spec.host, namespace);
        this.hosts.add(host);
        for (const subset of o.spec.subsets ?? []) {
          this.subsets.set(subsetKey(host, subset.name), { rule: located, labels: subset.labels ?? {} });
        }
      } else if (o.kind === 'VirtualService') {
        this.virtualServices.set(`${namespace}/${o.metadata?.name}`, located);
      }
      const labels = o.kind === 'Pod' ? o.metadata?.labels : o.spec?.template?.metadata?.labels;
      if (labels && typeof labels === 'object') {
        const workload = { key: `${o.kind}|${namespace}|${o.metadata?.name}`, object: o, located, namespace, labels };
        this.workloads.set(workload.key, workload);
        for (const [label, value] of Object.entries(labels)) {
          const key = `${namespace}|${label}=${value}`;
          const list = this.workloadsByLabel.get(key);
          if (list) {
            list.push(workload);
          } else {
            this.workloadsByLabel.set(key, [workload]);
          }
        }
      }
    }
  }

  /** The workloads whose pods the Service of `host` selects, narrowed to the subset's labels. */
  public workloadsOf(host: string, subset: string | undefined): Workload[] {
    const service = this.services.get(host);
    const selector = service?.object.spec?.selector;
    if (!service || !selector || Object.keys(selector).length === 0) {
      return [];
    }
    const subsetLabels = subset === undefined ? {} : this.subsets.get(subsetKey(host, subset))?.labels ?? {};
    const namespace = service.object.metadata?.namespace ?? 'default';
    const [label, value] = Object.entries(selector)[0];
    return (this.workloadsByLabel.get(`${namespace}|${label}=${value}`) ?? [])
      .filter((w) => labelsSubsetOf(selector, w.labels) && labelsSubsetOf(subsetLabels, w.labels));
  }
}
