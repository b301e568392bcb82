/**
 * A reader for the Mermaid flowcharts the traffic plan writes: boxes (`subgraph`), nodes with shape,
 * label and class, edges with style and label, and `classDef`s. It accepts only the statements the
 * plan emits and throws on anything else, so a raw quote or bracket in a label fails the test that
 * reads it.
 */

export interface FlowNode {
  readonly id: string;
  readonly shape: 'rule' | 'version' | 'answer';
  /** The label as a reader sees it: entity codes decoded, `<br/>` as a line break. */
  readonly label: string;
  /** The label exactly as written between the quotes. */
  readonly raw: string;
  readonly cls?: string;
  /** The innermost box the node is declared in. */
  readonly box: string;
}

export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly dotted: boolean;
  readonly label?: string;
  readonly box: string;
}

export interface FlowBox {
  readonly id: string;
  readonly title: string;
  readonly parent?: string;
}

export interface Flowchart {
  readonly boxes: FlowBox[];
  readonly nodes: Map<string, FlowNode>;
  readonly edges: FlowEdge[];
  readonly classDefs: Map<string, string>;
  /** Every quoted label as written, for escaping checks. */
  readonly rawLabels: string[];
}

const ID = '[A-Za-z0-9_]+';
const QUOTED = '"[^"]*"';
const NODE = new RegExp(`^(${ID})(?:\\[(${QUOTED})\\]|\\((${QUOTED})\\)|\\[/(${QUOTED})/\\])?(?::::(${ID}))?`);
const EDGE = new RegExp(`^ (-->|-\\.->)(?:\\|(${QUOTED})\\|)? `);

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>' };

/** Mermaid entity codes (`#quot;`, `#35;`) and `<br/>` back to text. */
export function decodeLabel(raw: string): string {
  return raw
    .replace(/<br\/>/g, '\n')
    .replace(/#(\w+);/g, (_, code: string) => (/^\d+$/.test(code) ? String.fromCharCode(Number(code)) : ENTITIES[code] ?? `#${code};`));
}

export function parseFlowchart(text: string): Flowchart {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0] !== 'flowchart LR') {
    throw new Error(`expected 'flowchart LR', got '${lines[0]}'`);
  }
  const boxes: FlowBox[] = [];
  const nodes = new Map<string, FlowNode>();
  const edges: FlowEdge[] = [];
  const classDefs = new Map<string, string>();
  const rawLabels: string[] = [];
  const stack: string[] = [];
  for (const line of lines.slice(1)) {
    const t = line.trim();
    const sub = new RegExp(`^subgraph (${ID})\\[(${QUOTED})\\]$`).exec(t);
    const def = new RegExp(`^classDef (${ID}) (fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6})$`).exec(t);
    if (sub) {
      rawLabels.push(sub[2]);
      boxes.push({ id: sub[1], title: decodeLabel(sub[2].slice(1, -1)), parent: stack[stack.length - 1] });
      stack.push(sub[1]);
    } else if (t === 'end') {
      if (stack.pop() === undefined) {
        throw new Error('end without subgraph');
      }
    } else if (def) {
      classDefs.set(def[1], def[2]);
    } else {
      readChain(t, stack[stack.length - 1] ?? '', nodes, edges, rawLabels);
    }
  }
  if (stack.length > 0) {
    throw new Error(`unclosed subgraph ${stack.join(', ')}`);
  }
  return { boxes, nodes, edges, classDefs, rawLabels };
}

/** `a["x"] -->|"75%"| b("y"):::c -.->|"no match"| d`: nodes declared on first use, edges in between. */
function readChain(statement: string, box: string, nodes: Map<string, FlowNode>, edges: FlowEdge[], rawLabels: string[]): void {
  let rest = statement;
  let previous: string | undefined;
  let pending: { dotted: boolean; label?: string } | undefined;
  for (;;) {
    const n = NODE.exec(rest);
    if (!n) {
      throw new Error(`cannot read '${rest}' in '${statement}'`);
    }
    const [all, id, rule, version, answer, cls] = n;
    const raw = rule ?? version ?? answer;
    if (raw !== undefined) {
      if (nodes.has(id)) {
        throw new Error(`node ${id} is declared twice`);
      }
      rawLabels.push(raw);
      nodes.set(id, { id, shape: rule ? 'rule' : version ? 'version' : 'answer', label: decodeLabel(raw.slice(1, -1)), raw: raw.slice(1, -1), cls, box });
    } else if (!nodes.has(id)) {
      throw new Error(`node ${id} is used before it is declared`);
    }
    if (previous !== undefined && pending) {
      edges.push({ from: previous, to: id, dotted: pending.dotted, label: pending.label, box });
    }
    rest = rest.slice(all.length);
    if (rest === '') {
      return;
    }
    const e = EDGE.exec(rest);
    if (!e) {
      throw new Error(`cannot read edge '${rest}' in '${statement}'`);
    }
    if (e[2] !== undefined) {
      rawLabels.push(e[2]);
    }
    pending = { dotted: e[1] === '-.->', label: e[2] === undefined ? undefined : decodeLabel(e[2].slice(1, -1)) };
    previous = id;
    rest = rest.slice(e[0].length);
  }
}
