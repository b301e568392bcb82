/**
 * Escaping for the two output formats. Labels come from hand-written manifests (regexes, `*`
 * hosts, quotes), so nothing may be passed through raw.
 */

/** Characters Mermaid would read as syntax inside a quoted label, as Mermaid entity codes. */
const MERMAID_ENTITIES: Record<string, string> = {
  '"': '#quot;',
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '`': '#96;',
  ';': '#59;',
};

/**
 * A Mermaid node or edge label, quoted; line breaks become `<br/>`.
 */
export function mermaidLabel(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/["#&<>|`;]/g, (c) => MERMAID_ENTITIES[c]));
  return `"${lines.join('<br/>')}"`;
}

/**
 * A Mermaid node id: letters, digits and `_` only, so ids never collide with keywords or arrows.
 */
export function mermaidId(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Text for one Markdown table cell: `|` would end the cell, line breaks the row, and `*`, `_`,
 * backticks or `<` in hosts and regexes would turn into formatting or HTML.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]|~])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}
