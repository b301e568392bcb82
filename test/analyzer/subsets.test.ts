import { deployment, destinationRule, findingsOf, service, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

const ROUTE_BOTH = `  hosts: [web]
  http:
  - route: [{ destination: { host: web, subset: blue }, weight: 50 }, { destination: { host: web, subset: green }, weight: 50 }]`;

describe('ISTT001 Service selector includes a version label', () => {
  test('fails when the Service selects on the label the subsets differ by', () => {
    // GIVEN a Service selecting app=web, version=blue and subsets blue/green by version
    const yaml = service('web', 'default', '{ app: web, version: blue }') + destinationRule('web', ['blue', 'green'])
      + deployment('web', 'blue') + deployment('web', 'green') + virtualService('web', ROUTE_BOTH);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT001');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.name, f.path, f.message])).toEqual([[
      FindingSeverity.ERROR, 'Service', 'web', 'spec.selector.version',
      "selector includes 'version: blue', the label DestinationRule default/web subsets use to tell versions apart: subsets filter the Service's endpoints, so subset 'green' gets no endpoints (503)",
    ]]);
    expect(findings[0].fix).toMatch(/remove 'version' from the Service selector/);
  });

  test('fails for any label the subsets differ by, not only "version"', () => {
    // GIVEN subsets distinguished by 'track' and a Service selecting on it
    const yaml = service('web', 'default', '{ app: web, track: stable }') + `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web }
spec: { host: web, subsets: [{ name: stable, labels: { track: stable } }, { name: canary, labels: { track: canary } }] }
---`;

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT001').map((f) => f.path)).toEqual(['spec.selector.track']);
  });

  test('accepts a selector label all subsets share', () => {
    // GIVEN subsets that all carry app=web besides their version
    const yaml = service('web') + `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web }
spec: { host: web, subsets: [{ name: a, labels: { app: web, version: a } }, { name: b, labels: { app: web, version: b } }] }
---`;

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT001')).toEqual([]);
  });
});

describe('IST0173 subset selects no pods', () => {
  test('fails when a routed subset has no pods behind the Service', () => {
    // GIVEN only the blue Deployment
    const yaml = service('web') + destinationRule('web', ['blue', 'green']) + deployment('web', 'blue') + virtualService('web', ROUTE_BOTH);

    // WHEN
    const findings = findingsOf(yaml, 'IST0173');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.name, f.path, f.message])).toEqual([[
      FindingSeverity.ERROR, 'DestinationRule', 'web', 'spec.subsets[1]',
      "subset 'green' (labels version=green) selects no pod behind Service 'default/web' (selector app=web): requests routed to it get 503 UH",
    ]]);
  });

  test('fails (warning only) for an idle subset scaled to zero', () => {
    // GIVEN green at replicas 0 and no route to green
    const yaml = service('web') + destinationRule('web', ['blue', 'green']) + deployment('web', 'blue') + deployment('web', 'green', 'default', 0)
      + virtualService('web', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0173').map((f) => [f.severity, f.message])).toEqual([[
      FindingSeverity.WARNING,
      "subset 'green' (labels version=green) selects no pod behind Service 'default/web' (selector app=web); no route sends traffic to it yet",
    ]]);
  });

  test('fails when the pods live in another namespace than the Service', () => {
    // GIVEN the Deployments in namespace other
    const yaml = service('web') + destinationRule('web', ['blue']) + deployment('web', 'blue', 'other')
      + virtualService('web', '  hosts: [web]\n  http: [{ route: [{ destination: { host: web, subset: blue } }] }]');

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0173').map((f) => f.path)).toEqual(['spec.subsets[0]']);
  });

  // istiod: pkg/config/analysis/analyzers/destinationrule/subset.go, pilot/pkg/serviceregistry/util/label/label.go AugmentLabels
  test('reads the topology labels istiod adds to endpoints from the Node, and does not guess unknown placements', () => {
    // GIVEN in shop: a Deployment pinned to zone a by nodeSelector and one placed anywhere, with
    // subsets by zone and hostname; in data: a Pod on node-1 (a Node in region eu, zone a, no
    // subzone) with subsets by region, subzone and hostname, and a route to the subset for region us
    const drOf = (name: string, ns: string, subsets: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec: { host: ${name}, subsets: ${subsets} }
---`;
    const yaml = service('web', 'shop') + service('db', 'data') + `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-blue, namespace: shop }
spec:
  selector: { matchLabels: { app: web, version: blue } }
  template:
    metadata: { labels: { app: web, version: blue } }
    spec: { nodeSelector: { topology.kubernetes.io/zone: a }, containers: [] }
---` + deployment('web', 'green', 'shop') + `
apiVersion: v1
kind: Node
metadata: { name: node-1, labels: { topology.kubernetes.io/region: eu, topology.kubernetes.io/zone: a } }
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: data, labels: { app: db } }
spec: { nodeName: node-1, containers: [] }
---` + drOf('web', 'shop', '[{ name: zone-a-blue, labels: { version: blue, topology.kubernetes.io/zone: a } }, { name: zone-b, labels: { topology.kubernetes.io/zone: b } }, { name: node-9, labels: { kubernetes.io/hostname: node-9 } }]')
      + drOf('db', 'data', '[{ name: eu, labels: { topology.kubernetes.io/region: eu } }, { name: us, labels: { topology.kubernetes.io/region: us } }, { name: sub, labels: { topology.istio.io/subzone: x } }, { name: here, labels: { kubernetes.io/hostname: node-1 } }]')
      + virtualService('db', '  hosts: [db]\n  http: [{ route: [{ destination: { host: db, subset: us } }] }]', 'data');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN in shop nothing is reported (green may run in zone b or on node-9); in data the region
    // us (routed: error) and the subzone the Node lacks (idle: warning) are reported
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.namespace, f.name, f.path])).toEqual([
      ['IST0173', FindingSeverity.ERROR, 'DestinationRule', 'data', 'db', 'spec.subsets[1]'],
      ['IST0173', FindingSeverity.WARNING, 'DestinationRule', 'data', 'db', 'spec.subsets[2]'],
    ]);
  });

  test('accepts manifests without any workload: the pods are deployed elsewhere', () => {
    // GIVEN no Deployment at all
    const yaml = service('web') + destinationRule('web', ['blue', 'green']) + virtualService('web', ROUTE_BOTH);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});
