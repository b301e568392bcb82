import { parseAllDocuments } from 'yaml';
import { TrafficPlan } from '../../src';

const yaml = (...texts: string[]) => parseAllDocuments(texts.join('\n---\n')).map((d) => d.toJS()).filter((d) => d);

/** The rows of the "Who may call" table. */
function callerRows(manifests: any[]): string[] {
  const markdown = TrafficPlan.fromManifests(manifests).toMarkdown();
  const section = markdown.split('## Who may call')[1] ?? '';
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Service') && !l.startsWith('| ---'));
}

const API = `
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec: { selector: { app: api }, ports: [{ name: http, port: 80, targetPort: 8080 }, { name: http-metrics, port: 9090 }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec: { host: api, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }`;

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v1, namespace: shop }
spec: { template: { metadata: { labels: { app: api, version: v1 } } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api-v2, namespace: shop }
spec: { template: { metadata: { labels: { app: api, version: v2 } } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { template: { metadata: { labels: { app: web } }, spec: { serviceAccountName: web } } }`;

describe('the traffic plan lists who may call each service', () => {
  test('one row per policy with the pods it guards, the mTLS mode with port exceptions, and the callers in words', () => {
    // GIVEN a STRICT api with a plain metrics port, an ALLOW for v1, a DENY for everyone on v2's /admin
    const manifests = yaml(API, WORKLOADS, `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: api, namespace: shop }
spec: { selector: { matchLabels: { app: api } }, mtls: { mode: STRICT }, portLevelMtls: { 9090: { mode: PERMISSIVE } } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-v1, namespace: shop }
spec:
  selector: { matchLabels: { app: api, version: v1 } }
  rules:
  - from: [{ source: { principals: [cluster.local/ns/shop/sa/web, cluster.local/ns/ops/sa/backup] } }, { source: { namespaces: [monitoring] } }]
  - to: [{ operation: { ports: ['9090'] } }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: no-admin, namespace: shop }
spec:
  action: DENY
  selector: { matchLabels: { version: v2 } }
  rules: [{ to: [{ operation: { paths: [/admin*] } }], when: [{ key: source.namespace, notValues: [ops] }] }]`);

    // WHEN / THEN
    expect(callerRows(manifests)).toEqual([
      '| api.shop | version=v1 | STRICT (port 9090 PERMISSIVE) | ALLOW shop/api-v1 | Deployment/web (shop/web), service account ops/backup or namespaces monitoring; or anyone, to ports 9090 |',
      '| api.shop | version=v2 | STRICT (port 9090 PERMISSIVE) | DENY shop/no-admin | everyone except: anyone, to paths /admin\\*, when source.namespace not in ops |',
    ]);
  });

  test('pods no policy guards get their own row; without workloads the pods are the DestinationRule subsets', () => {
    const allowNobody = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-v2, namespace: shop }
spec: { selector: { matchLabels: { app: api, version: v2 } } }`;
    expect(callerRows(yaml(API, allowNobody))).toEqual([
      '| api.shop | version=v2 | PERMISSIVE | ALLOW shop/api-v2 | nobody (the policy has no rules) |',
      '| api.shop | app=api, version=v1 | PERMISSIVE | - | anyone (no AuthorizationPolicy) |',
    ]);
    expect(callerRows(yaml(API, WORKLOADS, allowNobody))[1]).toBe('| api.shop | Deployment/api-v1 | PERMISSIVE | - | anyone (no AuthorizationPolicy) |');
  });

  test('without AuthorizationPolicies or PeerAuthentications the plan has no such section', () => {
    expect(TrafficPlan.fromManifests(yaml(API, WORKLOADS)).toMarkdown()).not.toContain('Who may call');
  });
});
