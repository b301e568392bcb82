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

const MERMAID_SPECIAL = /["#&<>|`;\r\n]/;

/**
 * A Mermaid node or edge label, quoted; line breaks become `<br/>`.
 */
export function mermaidLabel(text: string): string {
  if (!MERMAID_SPECIAL.test(text)) {
    // most labels (versions, hosts, shares) need no escaping: a plan has tens of thousands of them
    return `"${text}"`;
  }
  const lines = text.split(/\r?\n/).map((line) => line.replace(/["#&<>|`;]/g, (c) => MERMAID_ENTITIES[c]));
  return `"${lines.join('<br/>')}"`;
}

/**
 * At most `max` characters (code points, so no emoji is cut in half), the rest replaced by `…`.
 * Applied before escaping, so an entity code is never cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    // never more code points than UTF-16 units
    return text;
  }
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Words of Mermaid's flowchart grammar. Mermaid 9 reads them as keywords even inside an id after
 * `_` (`gw_1_end` fails to parse), so an id never holds one as a whole `_`-separated part.
 */
const MERMAID_KEYWORDS = new Set(['end', 'style', 'class', 'classdef', 'graph', 'flowchart', 'subgraph', 'click', 'call',
  'interpolate', 'linkstyle', 'default', 'direction', 'href', 'acctitle', 'accdescr']);

/**
 * A Mermaid node id: letters, digits and `_` only, with keyword parts suffixed (`end` → `end_v`),
 * so ids never collide with keywords or arrows in any Mermaid version.
 */
export function mermaidId(text: string): string {
  let id = knownIds.get(text);
  if (id === undefined) {
    const plain = text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
    id = plain.split('_').map((part) => (MERMAID_KEYWORDS.has(part.toLowerCase()) ? `${part}_v` : part)).join('_');
    if (knownIds.size >= KNOWN_IDS_MAX) {
      knownIds.clear();
    }
    knownIds.set(text, id);
  }
  return id;
}

/**
 * Ids already worked out: every diagram of a plan asks for the same few (`gw_1`, `mesh_green`), and
 * a plan of 10,000 services draws 10,000 diagrams. Bounded, so a long-running process keeps no
 * more than this many.
 */
const knownIds = new Map<string, string>();
const KNOWN_IDS_MAX = 10_000;

const MARKDOWN_SPECIAL = /[\\`*_[\]|~<>\r\n]/;

/**
 * Text for one Markdown table cell: `|` would end the cell, line breaks the row, and `*`, `_`,
 * backticks or `<` in hosts and regexes would turn into formatting or HTML.
 */
export function markdownCell(text: string): string {
  if (!MARKDOWN_SPECIAL.test(text)) {
    return text;
  }
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]|~])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}
