import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { INGRESS_AND_WEB } from './plan-fixtures';
import { PlanEntryKind, PlanProtocol, TrafficPlan } from '../../src';
import { readManifestFiles } from '../../src/manifests/manifest-files';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const example = (name: string) => readManifestFiles([path.join(EXAMPLES, name, 'dist')]);
const yaml = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

/** Table rows of the Markdown output (header and separator excluded). */
function rows(markdown: string): string[] {
  return markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Entry point') && !l.startsWith('| ---'));
}

/** Lines present in `after` but not in `before` plus the reverse: a line diff. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}


function vs(name: string, http: string, more = ''): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [shop.example.com]${more}
  http:${http}
`;
}

describe('TrafficPlan on the committed examples', () => {
  test('web-echo lists both prefix rules with rewrite, the cookie rule and the default v1, in order', () => {
    // GIVEN the synthesized web-echo example (gateway and mesh VirtualServices)
    const plan = TrafficPlan.fromManifests(example('web-echo'));
    // WHEN rendering Markdown
    const table = rows(plan.toMarkdown());
    // THEN port 80 redirects every request (httpsRedirect sets require_tls before any route,
    // pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig) and the HTTPS rows read in
    // evaluation order, each with its version
    const gateway = table.filter((r) => r.startsWith('| gateway web-echo/service-mesh-tls-gateway | service-mesh.dev |'));
    expect(gateway.map((r) => r.split(' | ').slice(2, 5).join(' | '))).toEqual([
      '1 | any plain-HTTP request (port 80) | redirect 301 to https (httpsRedirect)',
      '1 | path /v1/… or path /v1 (rewritten to /) | v1 100%',
      '2 | path /v2/… or path /v2 (rewritten to /) | v2 100%',
      '3 | cookie x-version=v2 | v2 100%',
      '4 | any request | v1 100%',
    ]);
    // AND the mesh has the same four rules
    expect(table.filter((r) => r.startsWith('| mesh | blue-green-service.web-echo |'))).toHaveLength(4);
  });

  test('color has one 75/25 row for /color and blue for everything else', () => {
    // GIVEN the color example (weighted canary)
    const plan = TrafficPlan.fromManifests(example('color'));
    // WHEN rendering Markdown
    const table = rows(plan.toMarkdown());
    // THEN the split is one row per entry point
    expect(table).toContain('| gateway color/color-gateway | \\* | 1 | path /color… | blue 75%, green 25% | - |');
    expect(table).toContain('| mesh | color-service.color | 1 | path /color… | blue 75%, green 25% | - |');
    expect(table).toContain('| mesh | color-service.color | 2 | any request | blue 100% | - |');
    // AND the structured API carries the shares
    const mesh = plan.routeTables.find((t) => t.entryKind === PlanEntryKind.MESH)!;
    expect(mesh.rules[0].destinations.map((d) => [d.subset, d.percentage])).toEqual([['blue', 75], ['green', 25]]);
  });

  test('pii-demo describes caller selection in words and lists TCP rules', () => {
    // GIVEN the pii-demo example (sourceLabels routing for HTTP and TCP)
    const markdown = TrafficPlan.fromManifests(example('pii-demo')).toMarkdown();
    // THEN callers are described by their labels
    expect(markdown).toContain('| mesh | httpd-server.pii-demo | 1 | callers labelled version=blue | blue 100% | - |');
    expect(markdown).toContain('| mesh (tcp) | mysql-server.pii-demo | 2 | port 3306 and callers labelled version=green | green 100% | - |');
    // AND each preview host has its own gateway row
    expect(markdown).toContain('| gateway pii-demo/httpd-server-gateway | pii-demo-green.apps.hl.test | 1 | any request | green 100% | - |');
  });
});

describe('diff-friendly, deterministic output', () => {
  test('a weight change changes one table row and only that rule\'s edge labels', () => {
    // GIVEN the color example before and after moving the canary from 25% to 40%
    const before = example('color');
    const after = JSON.parse(JSON.stringify(before));
    const ingress = after.find((m: any) => m.metadata?.name === 'color-service-ingress');
    ingress.spec.http[0].route[0].weight = 60;
    ingress.spec.http[0].route[1].weight = 40;
    // WHEN rendering both
    const md = changedLines(TrafficPlan.fromManifests(before).toMarkdown(), TrafficPlan.fromManifests(after).toMarkdown());
    const mm = changedLines(TrafficPlan.fromManifests(before).toMermaid(), TrafficPlan.fromManifests(after).toMermaid());
    // THEN the Markdown diff is exactly one row
    expect(md.removed).toEqual(['| gateway color/color-gateway | \\* | 1 | path /color… | blue 75%, green 25% | - |']);
    expect(md.added).toEqual(['| gateway color/color-gateway | \\* | 1 | path /color… | blue 60%, green 40% | - |']);
    // AND the Mermaid diff is the two percentage edges of that rule, nothing else
    expect(mm.added).toEqual([
      '    gw_1["1. path /color…"] -->|"60%"| gw_blue("blue"):::blue',
      '    gw_1 -->|"40%"| gw_green("green"):::green',
    ]);
    expect(mm.removed).toHaveLength(2);
  });

  test('the order of manifests and files does not change the output', () => {
    // GIVEN the same manifests in two orders
    const manifests = example('web-echo');
    const reversed = [...manifests].reverse();
    // THEN both renderings are identical
    expect(TrafficPlan.fromManifests(reversed).toDocument()).toEqual(TrafficPlan.fromManifests(manifests).toDocument());
  });
});

describe('evaluation order', () => {
  test('gateway VirtualServices for one host merge by name and catch-alls move last', () => {
    // GIVEN two VirtualServices for one host on one gateway; `a-default` (older by name) is a catch-all
    const manifests = yaml(INGRESS_AND_WEB
      + vs('a-default', `
  - route: [{ destination: { host: web, subset: v1 } }]`, '\n  gateways: [istio-system/ingress]')
      + vs('b-beta', `
  - match: [{ headers: { x-canary: { exact: always } } }]
    route: [{ destination: { host: web, subset: v2 } }]`, '\n  gateways: [istio-system/ingress]'));
    // WHEN planning
    const table = TrafficPlan.fromManifests(manifests).routeTables.find((t) => t.entryKind === PlanEntryKind.GATEWAY)!;
    // THEN the header rule comes first even though its VirtualService sorts later
    expect(table.rules.map((r) => [r.position, r.match, r.action, r.virtualService])).toEqual([
      [1, 'header x-canary: always', 'v2 100%', 'shop/b-beta'],
      [2, 'any request', 'v1 100%', 'shop/a-default'],
    ]);
  });

  test('rules after a mesh catch-all are left out with a note, and a later VirtualService for the host is shadowed', () => {
    // GIVEN a mesh VirtualService whose first rule has no match, and a second one for the same host
    const manifests = yaml(INGRESS_AND_WEB
      + vs('a-web', `
  - route: [{ destination: { host: web, subset: v1 } }]
  - match: [{ uri: { prefix: /beta } }]
    route: [{ destination: { host: web, subset: v2 } }]`)
      + vs('b-web', `
  - route: [{ destination: { host: web, subset: v2 } }]`));
    // WHEN planning
    const table = TrafficPlan.fromManifests(manifests).routeTables.find((t) => t.hosts.includes('shop.example.com'))!;
    // THEN only the catch-all remains, and both surprises are explained
    expect(table.rules.map((r) => r.match)).toEqual(['any request']);
    expect(table.notes).toEqual([
      'shop/a-web http[0] matches every request, so the 1 rule after it never applies',
      'shop/b-web also claims shop.example.com; sidecars use only the oldest claim, shop/a-web',
    ]);
  });

  test('a sourceLabels rule bound to a gateway is dropped there, with a note', () => {
    // GIVEN a gateway VirtualService selecting blue callers first
    const manifests = yaml(INGRESS_AND_WEB + vs('web', `
  - match: [{ sourceLabels: { version: blue } }]
    route: [{ destination: { host: web, subset: blue } }]
  - route: [{ destination: { host: web, subset: green } }]`, '\n  gateways: [istio-system/ingress]'));
    // WHEN planning
    const [table] = TrafficPlan.fromManifests(manifests).routeTables.filter((t) => t.gateway === 'istio-system/ingress');
    // THEN the gateway pod (istio=ingressgateway) is not blue, so only the fallback applies
    expect(table.rules.map((r) => r.action)).toEqual(['green 100%']);
    expect(table.notes[0]).toContain('shop/web http[0] selects callers (version=blue), which the gateway pod is not');
  });

  test('mirrors, redirects and services without VirtualService are shown', () => {
    // GIVEN a mesh VirtualService with a mirror and a redirect, and a second Service without routing
    const manifests = yaml(INGRESS_AND_WEB + vs('web', `
  - match: [{ uri: { exact: /old } }]
    redirect: { uri: /new, redirectCode: 308 }
  - route: [{ destination: { host: web, subset: v1 } }]
    mirror: { host: web, subset: v2 }
    mirrorPercentage: { value: 10 }`) + `
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { ports: [{ name: http, port: 80 }] }
`);
    // WHEN rendering Markdown
    const markdown = TrafficPlan.fromManifests(manifests).toMarkdown();
    // THEN each case reads in words
    expect(markdown).toContain('| mesh | shop.example.com | 1 | path /old | redirect 308 to path /new | - |');
    expect(markdown).toContain('| mesh | shop.example.com | 2 | any request | v1 100% | v2 10% |');
    expect(markdown).toContain('| mesh | api.shop | 1 | any request | all endpoints 100% (no VirtualService: default route) | - |');
  });
});

describe('escaping', () => {
  const tricky = yaml(INGRESS_AND_WEB + vs('web', `
  - match: [{ headers: { x-user: { regex: 'a|"b"<c>#d;\`e\`' } } }]
    route: [{ destination: { host: web, subset: v2 } }]
  - route: [{ destination: { host: web, subset: v1 } }]`));

  test('Mermaid labels carry no raw quote, pipe, angle bracket, hash, semicolon or backtick', () => {
    // WHEN rendering a header regex full of Mermaid syntax
    const mermaid = TrafficPlan.fromManifests(tricky).toMermaid();
    const label = mermaid.split('\n').find((l) => l.includes('x-user'))!;
    // THEN the label is one quoted string with entity codes
    expect(label).toContain('_1["1. header x-user: matching a#124;#quot;b#quot;#lt;c#gt;#35;d#59;#96;e#96;"]');
    const text = /_1\["([^"]*)"\]/.exec(label)![1];
    expect(text.replace(/#\w+;/g, '')).not.toMatch(/["|<>#;`]/);
  });

  test('Markdown cells escape pipes and formatting characters', () => {
    // WHEN rendering the same rule as Markdown
    const row = rows(TrafficPlan.fromManifests(tricky).toMarkdown()).find((r) => r.includes('x-user'))!;
    // THEN the pipe does not split the cell and the angle brackets are not HTML
    expect(row).toContain('header x-user: matching a\\|"b"&lt;c&gt;#d;\\`e\\`');
    expect(row.split(/(?<!\\)\|/).length).toBe(8);
  });
});

describe('writing TRAFFIC.md', () => {
  test('writeToDirectory writes the tables, each with its mermaid block, next to the manifests', () => {
    // GIVEN a copy of the color output
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
    fs.cpSync(path.join(EXAMPLES, 'color', 'dist'), dir, { recursive: true });
    // WHEN writing the plan
    const file = TrafficPlan.writeToDirectory(dir);
    // THEN TRAFFIC.md has both parts and matches toDocument
    const text = fs.readFileSync(file, 'utf8');
    expect(file).toBe(path.join(dir, 'TRAFFIC.md'));
    expect(text).toContain('| mesh | color-service.color | 1 | path /color… | blue 75%, green 25% | - |');
    expect(text).toContain('```mermaid\nflowchart LR\n');
    expect(text).toBe(TrafficPlan.fromDirectory(dir).toDocument());
  });

  test('fails for a directory that does not exist, naming it', () => {
    expect(() => TrafficPlan.writeToDirectory('/nonexistent/dist')).toThrow("cannot read '/nonexistent/dist': no such file or directory");
  });

  test('fails for manifests that are not an array', () => {
    expect(() => TrafficPlan.fromManifests({} as any)).toThrow('manifests must be an array of Kubernetes objects, got object');
  });

  test('an empty set of manifests says so', () => {
    const plan = TrafficPlan.fromManifests([]);
    expect(plan.routeTables).toEqual([]);
    expect(plan.toMarkdown()).toContain('No VirtualServices or Services in the manifests.');
    expect(plan.routeTables.every((t) => t.protocol === PlanProtocol.HTTP)).toBe(true);
  });
});
