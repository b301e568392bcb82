/**
 * Some upstream CRD files (Flagger's `artifacts/flagger/crd.yaml`) continue quoted scalars on
 * lines indented no deeper than their key. Go's YAML parser accepts that; strict YAML 1.2 parsers,
 * including the one inside `cdk8s import`, reject it. This joins such a scalar onto one line with
 * YAML's own folding (a line break becomes a space, an empty line a newline) so any parser reads it.
 */
export function normalizeQuotedScalars(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = /^(\s*(?:- )?[^\s'"#][^:'"#]*:\s+)(['"])(.*)$/.exec(lines[i]);
    if (!start || closesQuote(start[3], start[2])) {
      out.push(lines[i]);
      continue;
    }
    const [, head, quote, first] = start;
    let value = first.trimEnd();
    let j = i + 1;
    let pendingNewlines = 0;
    for (; j < lines.length; j++) {
      const part = lines[j].trim();
      if (part === '') {
        pendingNewlines++;
        continue;
      }
      value += pendingNewlines > 0 ? (quote === '"' ? '\\n'.repeat(pendingNewlines) : '\n'.repeat(pendingNewlines)) : ' ';
      pendingNewlines = 0;
      value += part;
      if (closesQuote(part, quote)) {
        break;
      }
    }
    if (j >= lines.length) {
      // Not a scalar we understand: leave the text for the parser to report.
      out.push(lines[i]);
      continue;
    }
    if (quote === "'" && value.includes('\n')) {
      out.push(`${head}"${value.slice(0, value.lastIndexOf("'")).replace(/''/g, "'").replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"${value.slice(value.lastIndexOf("'") + 1)}`);
    } else {
      out.push(`${head}${quote}${value}`);
    }
    i = j;
  }
  return out.join('\n');
}

/** Whether `rest` (the text after an opening quote) contains the closing quote. */
function closesQuote(rest: string, quote: string): boolean {
  if (quote === "'") {
    return rest.replace(/''/g, '').includes("'");
  }
  return rest.replace(/\\./g, '').includes('"');
}
