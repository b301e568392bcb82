import { mermaidId, mermaidLabel, truncate } from './escape';
import { entryPointWords, groupByService, matchWords } from './render-markdown';
import { destinationLabel, formatPercent, shortHost } from './rule-words';
import { PlanDestination, PlanEntryKind, PlanRouteTable, PlanRule } from './types';
import { VersionClass, versionClasses } from './version-colours';

/** Longest label texts before `…`: long regexes and host lists must not stretch the layout. */
const TITLE_MAX = 80;
const RULE_MAX = 60;
const NODE_MAX = 40;

/**
 * Route tables as a Mermaid `flowchart LR`: one box per entry point (gateway workload or mesh, with
 * its hosts), holding that entry point's rules in evaluation order, chained by dotted "no match"
 * edges, and its own version nodes. Boxes never share a node, so a line can only be read inside its
 * box. Shares label an edge only where a rule splits or mirrors; a rule sending everything to one
 * version has a plain edge. Tables of several services are wrapped in one outer box per service.
 */
export function renderMermaid(tables: PlanRouteTable[]): string {
  const lines: string[] = ['flowchart LR'];
  const ids = new UniqueIds();
  const classes = versionClasses(tables.flatMap((t) => t.rules.flatMap((r) => [...r.destinations, ...r.mirrors].map(versionOfDestination))));
  const groups = groupByService(tables);
  const nested = groups.size > 1;
  for (const [service, group] of groups) {
    if (nested) {
      lines.push(`  subgraph ${ids.take(`s_${shortHost(service)}`)}[${mermaidLabel(truncate(shortHost(service), TITLE_MAX))}]`);
    }
    const titles = boxTitles(group);
    group.forEach((table, i) => renderBox(table, titles[i], { ids, classes, indent: nested ? '    ' : '  ', lines }));
    if (nested) {
      lines.push('  end');
    }
  }
  for (const c of classes.values()) {
    lines.push(`  classDef ${c.name} fill:${c.fill},stroke:${c.stroke}`);
  }
  return `${lines.join('\n')}\n`;
}

interface BoxContext {
  readonly ids: UniqueIds;
  readonly classes: Map<string | undefined, VersionClass>;
  readonly indent: string;
  readonly lines: string[];
}

/**
 * `gateway ns/name · any host (*)`; the port is added where two boxes of one diagram would
 * otherwise read the same (a Gateway's HTTP and HTTPS servers for one host).
 */
function boxTitles(group: PlanRouteTable[]): string[] {
  const base = group.map((t) => `${entryPointWords(t)} · ${t.hosts.map(hostWords).join(', ')}`);
  const count = new Map<string, number>();
  base.forEach((b) => count.set(b, (count.get(b) ?? 0) + 1));
  return base.map((b, i) => (count.get(b)! > 1 && group[i].port !== undefined ? `${b} · port ${group[i].port}` : b));
}

/** A bare `*` reads as a footnote marker or a typo; say what it means. */
function hostWords(host: string): string {
  return host === '*' ? 'any host (*)' : shortHost(host);
}

function renderBox(table: PlanRouteTable, title: string, ctx: BoxContext): void {
  const { ids, lines } = ctx;
  const box = ids.takeNumbered(table.entryKind === PlanEntryKind.GATEWAY ? 'gw' : 'mesh');
  const inner = `${ctx.indent}  `;
  lines.push(`${ctx.indent}subgraph ${box}[${mermaidLabel(truncate(title, TITLE_MAX))}]`);
  // a node is declared (shape and label) where it first appears, then referred to by id
  const declared = new Set<string>();
  const ref = (id: string, declaration: () => string): string => {
    if (declared.has(id)) {
      return id;
    }
    declared.add(id);
    return `${id}${declaration()}`;
  };
  const ruleIds = table.rules.map((r) => ids.take(`${box}_${r.position}`));
  const ruleRef = (i: number) => ref(ruleIds[i], () => `[${mermaidLabel(ruleText(table.rules[i]))}]`);
  const versionIds = new Map<string, string>();
  const versionRef = (d: PlanDestination): string => {
    const key = `${d.host}|${d.subset ?? ''}`;
    let id = versionIds.get(key);
    if (id === undefined) {
      // a node named by its version alone (a subset or version Service of the table's service) gets a short id too
      const own = d.host === table.service || destinationLabel(d, table.service) === d.version ? '' : `${shortHost(d.host)}_`;
      id = ids.take(`${box}_${own}${versionOfDestination(d) ?? 'all'}`);
      versionIds.set(key, id);
    }
    const cls = ctx.classes.get(versionOfDestination(d))!;
    return ref(id, () => `(${mermaidLabel(truncate(destinationLabel(d, table.service), NODE_MAX))}):::${cls.name}`);
  };
  if (table.rules.length === 0) {
    lines.push(`${inner}${ids.take(`${box}_none`)}[${mermaidLabel('no rule applies here (see notes)')}]`);
  }
  let head = table.rules.length > 0 ? `${inner}${ruleRef(0)}` : '';
  table.rules.forEach((rule, i) => {
    const edges = ruleEdges(rule, ruleIds[i], versionRef, ref, ids);
    lines.push(`${head} ${edges[0]}`);
    edges.slice(1).forEach((e) => lines.push(`${inner}${ruleIds[i]} ${e}`));
    if (i + 1 < table.rules.length) {
      head = `${inner}${ruleIds[i]} -.->|${mermaidLabel('no match')}| ${ruleRef(i + 1)}`;
    } else if (table.unmatched !== undefined) {
      // the chain ends where Envoy answers itself, so no request seems to fall off the last rule
      const endId = ids.take(`${box}_unmatched`);
      lines.push(`${inner}${ruleIds[i]} -.->|${mermaidLabel('no match')}| ${endId}[/${mermaidLabel(truncate(table.unmatched, NODE_MAX))}/]`);
    }
  });
  lines.push(`${ctx.indent}end`);
}

/** Edges leaving one rule: forwards (share only on splits), then what it answers itself, then mirrors. */
function ruleEdges(
  rule: PlanRule,
  ruleId: string,
  versionRef: (d: PlanDestination) => string,
  ref: (id: string, declaration: () => string) => string,
  ids: UniqueIds,
): string[] {
  const edges: string[] = [];
  const split = rule.destinations.length > 1;
  for (const d of rule.destinations) {
    const share = split || d.percentage !== 100 ? `|${mermaidLabel(formatPercent(d.percentage))}|` : '';
    edges.push(`-->${share} ${versionRef(d)}`);
  }
  if (rule.destinations.length === 0) {
    // redirects, direct responses and rules without a weighted destination end at the rule
    edges.push(`--> ${ref(ids.take(`${ruleId}_answer`), () => `[/${mermaidLabel(truncate(rule.action, NODE_MAX))}/]`)}`);
  }
  for (const m of rule.mirrors) {
    edges.push(`-.->|${mermaidLabel(`mirror ${formatPercent(m.percentage)}`)}| ${versionRef(m)}`);
  }
  return edges;
}

/** `1. path /color…`; a rule an earlier one always pre-empts says so, as its table note does. */
function ruleText(rule: PlanRule): string {
  const suffix = rule.shadowedBy !== undefined ? ` (never decides: rule ${rule.shadowedBy} first)` : '';
  return `${truncate(`${rule.position}. ${matchWords(rule)}`, RULE_MAX - [...suffix].length)}${suffix}`;
}

/** Sanitized ids can collide (`a-b` and `a_b`); later ones get a numeric suffix. */
class UniqueIds {
  private readonly used = new Set<string>();
  private readonly lastNumber = new Map<string, number>();

  public take(text: string): string {
    const base = mermaidId(text) || 'node';
    let id = base;
    for (let n = 2; this.used.has(id); n++) {
      id = `${base}_${n}`;
    }
    this.used.add(id);
    return id;
  }

  /** `gw`, then `gw2`, `gw3`: short box prefixes that stay readable in every node id. */
  public takeNumbered(base: string): string {
    // numbers are taken in order and never freed, so the search goes on from the last one taken:
    // a diagram of many boxes stays linear
    let n = this.lastNumber.get(base) ?? 1;
    let id = n === 1 ? base : `${base}${n}`;
    while (this.used.has(id)) {
      n = n === 1 ? 2 : n + 1;
      id = `${base}${n}`;
    }
    this.lastNumber.set(base, n);
    this.used.add(id);
    return id;
  }
}

/** The version a destination is coloured by: its subset, or the version its Gateway API backend Service serves. */
function versionOfDestination(d: PlanDestination): string | undefined {
  return d.subset ?? d.version;
}
