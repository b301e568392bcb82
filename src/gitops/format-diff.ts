import { RowChangeKind, TrafficDiff, TrafficRowChange } from './traffic-diff';

const MARK: Record<RowChangeKind, string> = {
  [RowChangeKind.ADDED]: '+',
  [RowChangeKind.REMOVED]: '-',
  [RowChangeKind.CHANGED]: '~',
};

/**
 * The diff for a terminal or a pull request: the changed rows grouped by route table and rule
 * (`-` removed, `+` added, `~` another share), then the verdict with one line per problem.
 */
export function formatTrafficDiff(diff: TrafficDiff, base: string, head: string): string {
  const lines = [`base: ${base}`, `head: ${head}`, ''];
  if (diff.changes.length === 0) {
    lines.push('traffic: no route changes');
  } else {
    lines.push(`traffic: ${diff.changes.length} row${diff.changes.length === 1 ? '' : 's'} changed`);
    let table: string | undefined;
    let rule: string | undefined;
    for (const change of diff.changes) {
      if (change.table !== table) {
        lines.push(`  ${change.table}`);
        table = change.table;
        rule = undefined;
      }
      if (change.rule !== rule) {
        lines.push(`    ${change.rule}`);
        rule = change.rule;
      }
      lines.push(`      ${MARK[change.kind]} ${change.destination}${share(change)}`);
    }
  }
  lines.push('');
  if (diff.problems.length === 0) {
    lines.push('verdict: safe (nothing the base routes to is removed, and no route reaches a subset before it exists)');
  } else {
    lines.push(`verdict: unsafe (${diff.problems.length} problem${diff.problems.length === 1 ? '' : 's'})`);
    diff.problems.forEach((p) => lines.push(`  - ${p}`));
  }
  return `${lines.join('\n')}\n`;
}

function share(change: TrafficRowChange): string {
  const percent = (n: number | undefined) => (n === undefined ? undefined : `${Number(n.toFixed(2))}%`);
  const before = percent(change.before);
  const after = percent(change.after);
  switch (change.kind) {
    case RowChangeKind.CHANGED: return `  ${before} → ${after}`;
    case RowChangeKind.REMOVED: return before === undefined ? '' : `  ${before}`;
    default: return after === undefined ? '' : `  ${after}`;
  }
}
