import { PlanEntryKind, PlanProtocol, TrafficPlan } from '../../src';

/**
 * The traffic plan draws Gateway API routes in the order Istio tries them
 * (docs/gateway-api-semantics.md §2.5, §6.2).
 */

const G = 'gateway.networking.k8s.io';
const svc = (name: string, labels: Record<string, string> = { app: 'web' }) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: labels, ports: [{ name: 'http', port: 80 }] },
});
const manifests = [
  svc('web'), svc('web-v1', { app: 'web', version: 'v1' }), svc('web-v2', { app: 'web', version: 'v2' }),
  { apiVersion: `${G}/v1`, kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  {
    apiVersion: `${G}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'web-ingress', namespace: 'shop' },
    spec: {
      parentRefs: [{ name: 'public' }],
      hostnames: ['web.example.com'],
      rules: [
        { matches: [], backendRefs: [{ name: 'web-v1', port: 80 }] },
        { matches: [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: '^(.*?;\\s*)?(qa=v2)(;.*)?$' }] }], backendRefs: [{ name: 'web-v2', port: 80 }] },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          backendRefs: [{ name: 'web-v1', port: 80, weight: 3 }, { name: 'web-v2', port: 80, weight: 1 }],
          filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        },
      ],
    },
  },
  {
    apiVersion: `${G}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'web-for-qa', namespace: 'qa' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: 'web', namespace: 'shop' }], rules: [{ backendRefs: [{ name: 'web-v2', namespace: 'shop', port: 80 }] }] },
  },
];

describe('the traffic plan of Gateway API routes', () => {
  const plan = TrafficPlan.fromManifests(manifests);

  test('a gateway table lists the rules in Gateway API precedence, filed under the main Service of the version Services', () => {
    // WHEN the plan is built THEN the rules written first-to-last are listed in the order Istio tries them,
    // and the version Services web-v1/web-v2 (selecting part of web's pods) read as versions v1/v2
    const table = plan.routeTables.find((t) => t.entryKind === PlanEntryKind.GATEWAY)!;
    expect(table).toMatchObject({ service: 'web.shop.svc.cluster.local', gateway: 'shop/public', port: 80, protocol: PlanProtocol.HTTP, hosts: ['web.example.com'] });
    expect(table.rules.map((r) => [r.position, r.resourceKind, r.virtualService, r.ruleIndex, r.match, r.rewrite, r.action])).toEqual([
      [1, 'HTTPRoute', 'shop/web-ingress', 2, 'path /api and below', 'prefix replaced by /', 'v1 75%, v2 25%'],
      [2, 'HTTPRoute', 'shop/web-ingress', 1, 'cookie qa=v2', undefined, 'v2 100%'],
      [3, 'HTTPRoute', 'shop/web-ingress', 0, 'any request', undefined, 'v1 100%'],
    ]);
    expect(table.rules[0].destinations.map((d) => [d.host, d.version, d.subset])).toEqual([
      ['web-v1.shop.svc.cluster.local', 'v1', undefined],
      ['web-v2.shop.svc.cluster.local', 'v2', undefined],
    ]);
  });

  test('a consumer route gets a mesh table of its own, and the Service it routes gets no default-route table', () => {
    const mesh = plan.routeTables.filter((t) => t.service === 'web.shop.svc.cluster.local' && t.entryKind === PlanEntryKind.MESH);
    expect(mesh).toHaveLength(1);
    expect(mesh[0].rules.map((r) => r.action)).toEqual(['v2 100%']);
    expect(mesh[0].notes[0]).toBe('HTTPRoute qa/web-for-qa (consumer routes: only callers in namespace qa, before the producer routes)');
    // the version Services are plain Services: default route
    expect(plan.routeTables.filter((t) => t.rules[0].action.includes('default route')).map((t) => t.service)).toEqual([
      'web-v1.shop.svc.cluster.local', 'web-v2.shop.svc.cluster.local',
    ]);
  });

  test('the Markdown shows one row per rule', () => {
    expect(plan.toMarkdown()).toContain('| gateway shop/public | web.example.com | 1 | path /api and below (prefix replaced by /) | v1 75%, v2 25% | - |');
  });
});
