import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Flowchart, FlowNode, parseFlowchart } from './mermaid-flowchart';
import { INGRESS_AND_WEB } from './plan-fixtures';
import { TrafficPlan } from '../../src';
import { versionClasses } from '../../src/plan/version-colours';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const yaml = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

/** Every committed TRAFFIC.md below examples/<name>/dist. */
function committedPlans(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name === 'TRAFFIC.md') {
        out.push(p);
      }
    }
  };
  fs.readdirSync(EXAMPLES).map((n) => path.join(EXAMPLES, n, 'dist')).filter((d) => fs.existsSync(d)).forEach(walk);
  return out;
}

interface Row { entry: string; hosts: string; position: number; match: string; goesTo: string; mirror: string }
interface Section { service: string; rows: Row[]; notes: string[]; diagram?: string }

/** A Markdown cell back to text (the plan escapes `\|`, `\*`, `&lt;`...). */
const cellText = (cell: string) => cell.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\\(.)/g, '$1');

/** The `## service` sections of a document: their route-table rows and the diagram under them. */
function sections(document: string): Section[] {
  return document.split(/^## /m).slice(1).filter((s) => s.includes('| Entry point |')).map((s) => {
    const rows = s.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Entry point') && !l.startsWith('| ---')).map((l) => {
      const c = l.slice(2, -2).split(/ (?<!\\)\| /).map(cellText);
      return { entry: c[0], hosts: c[1], position: Number(c[2]), match: c[3], goesTo: c[4], mirror: c[5] };
    });
    const notes = s.split('\n').filter((l) => l.startsWith('- ')).map((l) => cellText(l.slice(2)));
    return { service: s.split('\n')[0], rows, notes, diagram: /```mermaid\n([\s\S]*?)```/.exec(s)?.[1] };
  });
}

/** Rows split into route tables: a new table where the entry point or hosts change or numbering restarts. */
function tablesOf(rows: Row[]): Row[][] {
  const tables: Row[][] = [];
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    if (!prev || prev.entry !== r.entry || prev.hosts !== r.hosts || r.position <= prev.position) {
      tables.push([]);
    }
    tables[tables.length - 1].push(r);
  });
  return tables;
}

/** The label equals the text, or is the text cut short with `…`. */
function sameText(label: string, text: string): boolean {
  return label === text || (label.endsWith('…') && text.startsWith(label.slice(0, -1)));
}

/**
 * The rule nodes of a box in the order the dotted "no match" edges chain them, and the answer node
 * the chain ends at (what requests no rule matches get), if any.
 */
function chainedRules(chart: Flowchart, box: string): { rules: FlowNode[]; unmatched?: FlowNode } {
  const rules = [...chart.nodes.values()].filter((n) => n.box === box && n.shape === 'rule');
  const next = new Map<string, string>();
  for (const e of chart.edges.filter((x) => x.box === box && x.dotted && x.label === 'no match')) {
    expect(next.has(e.from)).toBe(false);
    next.set(e.from, e.to);
  }
  const targets = new Set(next.values());
  const starts = rules.filter((r) => !targets.has(r.id));
  expect(starts).toHaveLength(rules.length === 0 ? 0 : 1);
  const chain: FlowNode[] = [];
  for (let id: string | undefined = starts[0]?.id; id !== undefined; id = next.get(id)) {
    chain.push(chart.nodes.get(id)!);
  }
  const last = chain[chain.length - 1];
  const unmatched = last?.shape === 'answer' ? chain.pop() : undefined;
  expect(chain).toEqual(rules);
  return { rules: chain, unmatched };
}

/**
 * The structure a reviewer relies on: one box per route table, in table order, titled with its
 * entry point and hosts; nodes and edges never leave their box; rules chained in evaluation order
 * with the table's match; forward edges reproduce "Goes to" (a share only on splits) and dotted
 * mirror edges the "Mirror" column; one colour per version; every label escaped.
 */
function expectDiagramAgreesWithTable(section: Section): void {
  expect(section.diagram).toBeDefined();
  const chart = parseFlowchart(section.diagram!);
  const tables = tablesOf(section.rows);
  expect(chart.boxes.map((b) => b.parent)).toEqual(tables.map(() => undefined));
  expect(chart.boxes).toHaveLength(tables.length);
  for (const e of chart.edges) {
    // no node is shared between entry points: both ends live in the edge's own box
    expect([chart.nodes.get(e.from)!.box, chart.nodes.get(e.to)!.box]).toEqual([e.box, e.box]);
  }
  tables.forEach((rows, i) => {
    const box = chart.boxes[i];
    const hosts = rows[0].hosts.split(', ').map((h) => (h === '*' ? 'any host (*)' : h)).join(', ');
    const title = box.title.replace(/ · port \d+$/, '');
    expect(sameText(title, `${rows[0].entry} · ${hosts}`)).toBe(true);
    expect(box.title).not.toMatch(/· \*(,|$)/);
    const { rules: chain, unmatched } = chainedRules(chart, box.id);
    // the chain ends at Envoy's own answer exactly where the table's notes say unmatched requests get one
    const noRoute = section.notes.find((n) => n.startsWith(`${rows[0].entry} (${rows[0].hosts}): requests no rule matches get `));
    expect(unmatched?.label).toBe(noRoute ? '404 (no route)' : undefined);
    expect(chain.map((n) => Number(/^(\d+)\. /.exec(n.label)?.[1]))).toEqual(rows.map((r) => r.position));
    rows.forEach((row, k) => {
      const rule = chain[k];
      expect(sameText(rule.label.replace(/ \(never decides: rule \d+ first\)$/, ''), `${row.position}. ${row.match}`)).toBe(true);
      const out = chart.edges.filter((e) => e.from === rule.id);
      const forward = out.filter((e) => !e.dotted);
      const words = forward.map((e) => {
        const to = chart.nodes.get(e.to)!;
        return to.shape === 'answer' ? to.label : `${to.label} ${e.label ?? '100%'}`;
      });
      const goesTo = row.goesTo.replace(/ \(no VirtualService: default route\)$/, '');
      expect(words.length === 1 ? sameText(words[0], goesTo) : words.join(', ') === goesTo).toBe(true);
      // percentages only where the rule splits (or, never in practice, sends less than all to one version)
      const toVersions = forward.filter((e) => chart.nodes.get(e.to)!.shape === 'version');
      const labelled = toVersions.length > 1 || (toVersions.length === 1 && !/ 100%$/.test(goesTo));
      expect(forward.map((e) => e.label !== undefined)).toEqual(forward.map((e) => toVersions.includes(e) && labelled));
      const mirrors = out.filter((e) => e.dotted && e.label?.startsWith('mirror '));
      expect(mirrors.length === 0 ? '-' : mirrors.map((e) => `${chart.nodes.get(e.to)!.label} ${e.label!.slice(7)}`).join(', ')).toBe(row.mirror);
    });
  });
  const versions = [...chart.nodes.values()].filter((n) => n.shape === 'version');
  const classOf = new Map<string, string>();
  for (const v of versions) {
    expect(chart.classDefs.has(v.cls!)).toBe(true);
    expect(classOf.get(v.label) ?? v.cls).toBe(v.cls);
    classOf.set(v.label, v.cls!);
  }
  const fills = [...new Set(classOf.values())].map((c) => chart.classDefs.get(c));
  expect(new Set(fills).size).toBe(fills.length);
  for (const raw of chart.rawLabels) {
    expect(raw.slice(1, -1).replace(/#\w+;/g, '').replace(/<br\/>/g, '')).not.toMatch(/["|<>#;`&]/);
  }
}

describe('the committed TRAFFIC.md diagrams', () => {
  const files = committedPlans();

  test('every example that routes traffic has one', () => {
    expect(files.map((f) => path.relative(EXAMPLES, f).split(path.sep)[0])).toEqual(
      expect.arrayContaining(['color', 'cowsay', 'pii-demo', 'web-echo', 'fleet']));
  });

  test('a plan of Flagger rollouts only has no diagram', () => {
    const document = fs.readFileSync(path.join(EXAMPLES, 'podinfo-flagger', 'dist', 'podinfo-flagger', 'TRAFFIC.md'), 'utf8');
    expect(sections(document)).toEqual([]);
    expect(document).not.toContain('```mermaid');
  });

  const routed = files.filter((f) => fs.readFileSync(f, 'utf8').includes('| Entry point |'));

  test.each(routed.map((f) => [path.relative(EXAMPLES, f), f]))('%s: one diagram under each table, agreeing with it', (_, file) => {
    // GIVEN a committed traffic plan
    const document = fs.readFileSync(file, 'utf8');
    // WHEN reading its service sections
    const all = sections(document);
    // THEN each table is followed by its own diagram with the structure above, and there is no other diagram
    all.forEach(expectDiagramAgreesWithTable);
    expect(document.match(/```mermaid/g)).toHaveLength(all.length);
  });

  test('the color canary is drawn as one box per entry point, exactly', () => {
    // GIVEN the color example's plan (75/25 on /color at the gateway and in the mesh)
    const [section] = sections(fs.readFileSync(path.join(EXAMPLES, 'color', 'dist', 'color', 'TRAFFIC.md'), 'utf8'));
    // THEN the gateway box reads as the reviewer expects: `*` spelled out, the split labelled, the
    // catch-all unlabeled, and the rules chained by "no match"; the mesh box has its own nodes
    expect(section.diagram).toBe([
      'flowchart LR',
      '  subgraph gw["gateway color/color-gateway · any host (*)"]',
      '    gw_1["1. path /color…"] -->|"75%"| gw_blue("blue"):::blue',
      '    gw_1 -->|"25%"| gw_green("green"):::green',
      '    gw_1 -.->|"no match"| gw_2["2. any request"] --> gw_blue',
      '  end',
      '  subgraph mesh["mesh · color-service.color"]',
      '    mesh_1["1. path /color…"] -->|"75%"| mesh_blue("blue"):::blue',
      '    mesh_1 -->|"25%"| mesh_green("green"):::green',
      '    mesh_1 -.->|"no match"| mesh_2["2. any request"] --> mesh_blue',
      '  end',
      '  classDef blue fill:#dbeafe,stroke:#1d4ed8',
      '  classDef green fill:#dcfce7,stroke:#15803d',
      '',
    ].join('\n'));
  });

  test('the color canary written as Gateway API is drawn like its VirtualService output, versions coloured', () => {
    // GIVEN the color example written as HTTPRoutes to one Service per version (color-service-blue, -green)
    const diagrams = sections(fs.readFileSync(path.join(EXAMPLES, 'color-gateway-api', 'dist', 'color', 'TRAFFIC.md'), 'utf8'))
      .map((s) => s.diagram ?? '');
    // THEN the main Service's diagram names and colours the version Services by version, as subsets are
    const main = diagrams.find((d) => d.includes('subgraph gw['))!;
    expect(main).toContain('    gw_1["1. path /color…"] -->|"75%"| gw_blue("blue"):::blue\n    gw_1 -->|"25%"| gw_green("green"):::green\n');
    expect(main).toContain('    mesh_1["1. path /color…"] -->|"75%"| mesh_blue("blue"):::blue\n');
    expect(main).toContain('  classDef blue fill:#dbeafe,stroke:#1d4ed8\n  classDef green fill:#dcfce7,stroke:#15803d');
  });

  test('pii-demo: the mesh box holds only the mesh rules, never a gateway host\'s version node', () => {
    // GIVEN pii-demo, whose preview hosts and mesh callers both route to blue and green
    const [httpd] = sections(fs.readFileSync(path.join(EXAMPLES, 'pii-demo', 'dist', 'pii-demo', 'TRAFFIC.md'), 'utf8'));
    const chart = parseFlowchart(httpd.diagram!);
    // THEN the blue node the "callers labelled version=blue" rule points at is the mesh box's own
    const mesh = chart.boxes.find((b) => b.title === 'mesh · httpd-server.pii-demo')!;
    const callersBlue = [...chart.nodes.values()].find((n) => n.label === '1. callers labelled version=blue')!;
    const [edge] = chart.edges.filter((e) => e.from === callersBlue.id && !e.dotted);
    expect(chart.nodes.get(edge.to)).toMatchObject({ label: 'blue', box: mesh.id });
    // AND each of the four boxes has its own blue/green/all-endpoints nodes
    const versionBoxes = [...chart.nodes.values()].filter((n) => n.shape === 'version').map((n) => `${n.box}:${n.label}`);
    expect(versionBoxes).toEqual(['gw:blue', 'gw2:green', 'gw3:all endpoints', 'mesh:blue', 'mesh:green', 'mesh:all endpoints']);
  });
});


/** Splits, mirrors, redirects, Mermaid syntax in a regex, a label too long to draw, and versions named like keywords. */
const TRICKY = yaml(`${INGRESS_AND_WEB}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - match: [{ headers: { x-user: { regex: 'a|"b"<c>#d;\`e\`&f' } } }]
    route: [{ destination: { host: web, subset: end } }]
  - match: [{ uri: { regex: '/(orders|invoices|receipts|payments|refunds|customers|accounts)/[0-9]+/details' } }]
    route: [{ destination: { host: web, subset: default } }]
  - match: [{ uri: { exact: /old } }]
    redirect: { uri: /new, redirectCode: 308 }
  - route:
    - { destination: { host: web, subset: v1 }, weight: 50 }
    - { destination: { host: web, subset: v2 }, weight: 30 }
    - { destination: { host: web, subset: end }, weight: 20 }
    mirror: { host: web, subset: v3 }
    mirrorPercentage: { value: 10 }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web-ingress, namespace: shop }
spec:
  hosts: ["*"]
  gateways: [istio-system/ingress]
  http:
  - route: [{ destination: { host: web, subset: v1 }, weight: 100 }]
`);

describe('diagrams of hand-written manifests', () => {
  test('splits, mirrors, redirects and awkward labels keep the structure and escaping', () => {
    // GIVEN a plan with Mermaid syntax in a regex, a very long regex, a redirect and a 3-way split with a mirror
    const document = TrafficPlan.fromManifests(TRICKY).toDocument();
    const [section] = sections(document);
    // THEN the diagram agrees with its table
    expectDiagramAgreesWithTable(section);
    const chart = parseFlowchart(section.diagram!);
    const nodes = [...chart.nodes.values()];
    // AND the regex label is one quoted string with entity codes, reading as the table does
    const user = nodes.find((n) => n.label.includes('x-user'))!;
    expect(user.raw).toBe('1. header x-user: matching a#124;#quot;b#quot;#lt;c#gt;#35;d#59;#96;e#96;#amp;f');
    expect(user.label).toBe('1. header x-user: matching a|"b"<c>#d;`e`&f');
    // AND the long label is cut with an ellipsis
    const long = nodes.find((n) => n.label.startsWith('2. '))!;
    expect([...long.label].length).toBeLessThanOrEqual(60);
    expect(long.label.endsWith('…')).toBe(true);
    // AND the redirect ends at an answer node, the mirror is a dotted edge with its share
    const redirect = chart.edges.find((e) => e.from === nodes.find((n) => n.label === '3. path /old')!.id)!;
    expect(chart.nodes.get(redirect.to)).toMatchObject({ shape: 'answer', label: 'redirect 308 to path /new' });
    const split = nodes.find((n) => n.label === '4. any request')!;
    expect(chart.edges.filter((e) => e.from === split.id).map((e) => [e.dotted, e.label, chart.nodes.get(e.to)!.label])).toEqual([
      [false, '50%', 'v1'], [false, '30%', 'v2'], [false, '20%', 'end'], [true, 'mirror 10%', 'v3'],
    ]);
    // AND versions named like Mermaid keywords get safe ids and classes
    expect(nodes.filter((n) => n.label === 'end' || n.label === 'default').map((n) => [n.id, n.cls])).toEqual([
      ['mesh_end_v', 'end_v'], ['mesh_default_v', 'default_v'],
    ]);
    expect(chart.classDefs.has('default')).toBe(false);
  });

  test('a gateway route for any host says so in its box title, with a plain edge for its single version', () => {
    const [section] = sections(TrafficPlan.fromManifests(TRICKY).toDocument());
    const chart = parseFlowchart(section.diagram!);
    const gw = chart.boxes.find((b) => b.title.startsWith('gateway '))!;
    expect(gw.title).toBe('gateway istio-system/ingress · any host (*)');
    expect(chart.edges.filter((e) => e.box === gw.id)).toEqual([{ from: 'gw_1', to: 'gw_v1', dotted: false, label: undefined, box: 'gw' }]);
  });

  test('a table without a catch-all ends its chain at 404, as its notes say', () => {
    // GIVEN a gateway and mesh VirtualService that only routes /v1
    const manifests = yaml(`${INGRESS_AND_WEB}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web, shop.example.com]
  gateways: [mesh, istio-system/ingress]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    route: [{ destination: { host: web, subset: v1 } }]
`);
    // WHEN drawing it
    const [section] = sections(TrafficPlan.fromManifests(manifests).toDocument());
    // THEN both boxes agree with the table, and both chains end at Envoy's 404
    expectDiagramAgreesWithTable(section);
    const chart = parseFlowchart(section.diagram!);
    const ends = chart.edges.filter((e) => chart.nodes.get(e.to)!.label === '404 (no route)');
    expect(ends.map((e) => [chart.nodes.get(e.from)!.label, e.dotted, e.label])).toEqual([
      ['1. path /v1…', true, 'no match'],
      ['1. path /v1…', true, 'no match'],
    ]);
    expect(new Set(ends.map((e) => e.box)).size).toBe(2);
  });

  test('toMermaid of several services nests one box per service around its entry points', () => {
    // GIVEN pii-demo (httpd and mysql)
    const plan = TrafficPlan.fromDirectory(path.join(EXAMPLES, 'pii-demo', 'dist'));
    // WHEN drawing the whole plan as one flowchart
    const chart = parseFlowchart(plan.toMermaid());
    // THEN the outer boxes are the services and every edge stays inside one entry-point box
    const outer = chart.boxes.filter((b) => b.parent === undefined).map((b) => b.title);
    expect(outer).toEqual(['httpd-server.pii-demo', 'mysql-server.pii-demo']);
    expect(chart.boxes.filter((b) => b.parent !== undefined)).toHaveLength(5);
    for (const e of chart.edges) {
      expect(chart.boxes.find((b) => b.id === e.box)!.parent).toBeDefined();
      expect([chart.nodes.get(e.from)!.box, chart.nodes.get(e.to)!.box]).toEqual([e.box, e.box]);
    }
  });
});

describe('version colours', () => {
  test('colour words keep their colour and the result does not depend on order', () => {
    const a = versionClasses(['green', 'blue', undefined, 'canary', 'stable']);
    const b = versionClasses(['stable', 'canary', undefined, 'blue', 'green']);
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect(a.get('blue')).toEqual({ name: 'blue', fill: '#dbeafe', stroke: '#1d4ed8' });
    expect(a.get('green')).toEqual({ name: 'green', fill: '#dcfce7', stroke: '#15803d' });
    expect(a.get(undefined)!.name).toBe('all_endpoints');
  });

  test('versions of one diagram never share a colour, up to the eight hashed colours', () => {
    const names = ['v1', 'v2', 'v3', 'v4', 'stable', 'canary', 'primary', 'preview'];
    const fills = [...versionClasses(names).values()].map((c) => c.fill);
    expect(new Set(fills).size).toBe(names.length);
  });

  test('a version keeps its colour when other versions with other colours come and go', () => {
    expect(versionClasses(['v1']).get('v1')).toEqual(versionClasses(['v1', 'green', undefined]).get('v1'));
  });

  test('a colour word takes its colour first; a name hashed onto it moves to a free one', () => {
    // GIVEN a version name that, alone, is hashed onto blue
    const name = Array.from({ length: 100 }, (_, i) => `v${i}`).find((n) => versionClasses([n]).get(n)!.fill === '#dbeafe')!;
    expect(name).toBeDefined();
    // WHEN a version called blue is in the same diagram
    const beside = versionClasses([name, 'blue']);
    // THEN blue is blue and the other name takes a colour of its own
    expect(beside.get('blue')!.fill).toBe('#dbeafe');
    expect(beside.get(name)!.fill).not.toBe('#dbeafe');
  });

  test('class names never use a Mermaid keyword and never collide', () => {
    const classes = versionClasses(['default', 'end', 'style', '1', 'all-endpoints', undefined]);
    expect([...classes.values()].map((c) => c.name)).toEqual(['v_1', 'v_all_endpoints', 'default_v', 'end_v', 'style_v', 'all_endpoints']);
  });
});
