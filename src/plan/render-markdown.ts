import { markdownCell } from './escape';
import { renderMermaid } from './render-mermaid';
import { destinationLabel, formatPercent, shortHost } from './rule-words';
import { PlanEntryKind, PlanProtocol, PlanRouteTable, PlanRule } from './types';

/**
 * The plan as Markdown: one table per service, one row per rule, every row self-contained
 * (entry point and hosts repeated) so a changed weight shows as exactly one changed line. With
 * `diagrams`, each service's table is followed by its own Mermaid diagram, so the picture sits
 * next to the rows it draws.
 */
export function renderMarkdown(tables: PlanRouteTable[], diagrams = false): string {
  const lines: string[] = ['# Traffic plan', ''];
  if (tables.length === 0) {
    lines.push('No VirtualServices or Services in the manifests.', '');
    return lines.join('\n');
  }
  lines.push(
    'Rules are listed in the order Istio evaluates them; the first rule that matches decides.',
    'Hosts `name.ns` stand for `name.ns.svc.cluster.local`.',
    '',
  );
  for (const [service, group] of groupByService(tables)) {
    lines.push(`## ${markdownCell(shortHost(service))}`, '');
    lines.push('| Entry point | Hosts | # | Match | Goes to | Mirror |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const table of group) {
      const entryPoint = entryPointWords(table);
      const hosts = table.hosts.map(shortHost).join(', ');
      for (const rule of table.rules) {
        lines.push(row([
          entryPoint,
          hosts,
          String(rule.position),
          matchWords(rule),
          rule.action,
          mirrorWords(rule, table.service),
        ]));
      }
    }
    const notes = group.flatMap((t) => t.notes.map((n) => `${entryPointWords(t)} (${t.hosts.map(shortHost).join(', ')}): ${n}`));
    if (notes.length > 0) {
      lines.push('', 'Notes:', '');
      notes.forEach((n) => lines.push(`- ${markdownCell(n)}`));
    }
    if (diagrams) {
      lines.push('', '```mermaid', renderMermaid(group).trimEnd(), '```');
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * `gateway ns/name`, `mesh`, with `(tcp)` for TCP tables; Gateways sharing pods read
 * `gateways a, b (port 80)`, because their servers form one route table.
 */
export function entryPointWords(table: PlanRouteTable): string {
  const gateways = table.gateways ?? [];
  const shared = gateways.length > 1 ? `gateways ${gateways.join(', ')}${table.port !== undefined ? ` (port ${table.port})` : ''}` : undefined;
  const base = table.entryKind === PlanEntryKind.GATEWAY ? shared ?? `gateway ${table.gateway}` : 'mesh';
  return table.protocol === PlanProtocol.TCP ? `${base} (tcp)` : base;
}

/** The match with its rewrite: `path /v1/… (rewritten to /)`. */
export function matchWords(rule: PlanRule): string {
  return rule.rewrite ? `${rule.match} (${rule.rewrite})` : rule.match;
}

/** `v2 10%`, or `-` when the rule mirrors nothing. */
export function mirrorWords(rule: PlanRule, service: string): string {
  if (rule.mirrors.length === 0) {
    return '-';
  }
  return rule.mirrors.map((m) => `${destinationLabel(m, service)} ${formatPercent(m.percentage)}`).join(', ');
}

/** Tables are already sorted by service, so grouping keeps their order. */
export function groupByService(tables: PlanRouteTable[]): Map<string, PlanRouteTable[]> {
  const groups = new Map<string, PlanRouteTable[]>();
  for (const t of tables) {
    const group = groups.get(t.service) ?? [];
    group.push(t);
    groups.set(t.service, group);
  }
  return groups;
}

function row(cells: string[]): string {
  return `| ${cells.map(markdownCell).join(' | ')} |`;
}
