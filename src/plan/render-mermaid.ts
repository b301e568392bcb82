import { mermaidId, mermaidLabel } from './escape';
import { entryPointWords, groupByService, matchWords } from './render-markdown';
import { formatPercent, shortHost } from './rule-words';
import { PlanDestination, PlanRouteTable } from './types';

/**
 * The plan as a Mermaid `flowchart LR`: entry point → numbered rule → version, with the share on
 * the edge. Node ids derive from names, not from counters over the whole plan, so a weight change
 * only touches that rule's edge labels.
 */
export function renderMermaid(tables: PlanRouteTable[]): string {
  const lines: string[] = ['flowchart LR'];
  const ids = new UniqueIds();
  const destinationNodes = new Map<string, { id: string; label: string }>();
  const edges: string[] = [];
  for (const [service, group] of groupByService(tables)) {
    lines.push(`  subgraph ${ids.take(`s_${shortHost(service)}`)}[${mermaidLabel(shortHost(service))}]`);
    for (const table of group) {
      const entryId = ids.take(`e_${entryPointWords(table)}_${table.hosts.map(shortHost).join('_')}`);
      lines.push(`    ${entryId}([${mermaidLabel(`${entryPointWords(table)}\n${table.hosts.map(shortHost).join(', ')}`)}])`);
      for (const rule of table.rules) {
        const ruleId = ids.take(`${entryId}_${rule.position}`);
        lines.push(`    ${ruleId}[${mermaidLabel(`${rule.position}. ${matchWords(rule)}`)}]`);
        edges.push(`  ${entryId} --> ${ruleId}`);
        const targets = [...rule.destinations.map((d) => ({ d, mirror: false })), ...rule.mirrors.map((d) => ({ d, mirror: true }))];
        for (const { d, mirror } of targets) {
          const node = destinationNode(d, destinationNodes, ids);
          const label = mermaidLabel(mirror ? `mirror ${formatPercent(d.percentage)}` : formatPercent(d.percentage));
          edges.push(mirror ? `  ${ruleId} -.->|${label}| ${node}` : `  ${ruleId} -->|${label}| ${node}`);
        }
        if (rule.destinations.length === 0) {
          // redirects and direct responses end at the rule; show what they answer
          const endId = ids.take(`${ruleId}_action`);
          lines.push(`    ${endId}[/${mermaidLabel(rule.action)}/]`);
          edges.push(`  ${ruleId} --> ${endId}`);
        }
      }
    }
    lines.push('  end');
  }
  for (const { id, label } of [...destinationNodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    lines.push(`  ${id}(${mermaidLabel(label)})`);
  }
  // one push per line: spreading a very large plan into push() would overflow the call stack
  edges.forEach((e) => lines.push(e));
  return `${lines.join('\n')}\n`;
}

function destinationNode(d: PlanDestination, nodes: Map<string, { id: string; label: string }>, ids: UniqueIds): string {
  const key = `${d.host}|${d.subset ?? ''}`;
  let node = nodes.get(key);
  if (!node) {
    node = { id: ids.take(`d_${shortHost(d.host)}_${d.subset ?? 'all'}`), label: `${shortHost(d.host)}\n${d.subset ?? 'all endpoints'}` };
    nodes.set(key, node);
  }
  return node.id;
}

/** Sanitized ids can collide (`a-b` and `a_b`); later ones get a numeric suffix. */
class UniqueIds {
  private readonly used = new Set<string>();

  public take(text: string): string {
    const base = mermaidId(text) || 'node';
    let id = base;
    for (let n = 2; this.used.has(id); n++) {
      id = `${base}_${n}`;
    }
    this.used.add(id);
    return id;
  }
}
