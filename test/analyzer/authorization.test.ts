import { app, findingsOf, GATEWAY, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

const policy = (name: string, spec: string, ns = 'default') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}
---`;

describe('IST0127 AuthorizationPolicy selects no workload (istioctl authz/authorizationpolicies.go `analyzeNoMatchingWorkloads`)', () => {
  test('reports a selector no pod of the namespace carries, with Istio\'s message', () => {
    // GIVEN pods app=web in default and a policy for app=wbe
    const yaml = app('web') + policy('typo', '  selector: { matchLabels: { app: wbe } }\n  rules: [{}]');

    // WHEN
    const findings = findingsOf(yaml, 'IST0127');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.name, f.path, f.message])).toEqual([[
      FindingSeverity.WARNING, 'AuthorizationPolicy', 'typo', 'spec.selector.matchLabels',
      "no matching workloads for this resource with the following labels: app=wbe (no pod in namespace 'default' carries them), so the policy protects nothing",
    ]]);
  });

  test('reports a namespace-wide policy in a namespace without pods and a root-namespace selector matching nothing anywhere', () => {
    const yaml = app('web') + policy('empty-ns', '  rules: [{}]', 'tools') + policy('mesh', '  selector: { matchLabels: { app: nothing } }', 'istio-system');
    expect(findingsOf(yaml, 'IST0127').map((f) => `${f.namespace}/${f.name}`)).toEqual(['tools/empty-ns', 'istio-system/mesh']);
  });

  test('accepts matching selectors, root-namespace selectors matching pods elsewhere, targetRef policies, and manifests without workloads', () => {
    const yaml = app('web') + policy('ok', '  selector: { matchLabels: { app: web, version: blue } }')
      + policy('mesh', '  selector: { matchLabels: { app: web } }', 'istio-system')
      + policy('gw', '  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: edge }]');
    expect(findingsOf(yaml, 'IST0127')).toEqual([]);
    expect(findingsOf(policy('alone', '  selector: { matchLabels: { app: web } }'), 'IST0127')).toEqual([]);
  });
});

describe('ISTT008 ALLOW policies deny a route\'s only callers', () => {
  const viaGateway = virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http: [{ route: [{ destination: { host: web, subset: blue } }] }]`);

  test('reports a gateway route to pods whose ALLOW policies do not admit the gateway', () => {
    // GIVEN the default ingress gateway routing to web, whose pods admit only namespace shop
    const yaml = app('web') + GATEWAY + viaGateway + policy('web', '  selector: { matchLabels: { app: web } }\n  rules: [{ from: [{ source: { namespaces: [shop] } }] }]');

    // WHEN
    const findings = findingsOf(yaml, 'ISTT008');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.name, f.path])).toEqual([[FindingSeverity.ERROR, 'VirtualService', 'web', 'spec.http[0].route[0].destination']]);
    expect(findings[0].message).toBe("ALLOW AuthorizationPolicies default/web of the pods behind subset 'blue' of web.default.svc.cluster.local admit none of this rule's callers: gateway default/gw (istio-system/istio-ingressgateway-service-account); every request the rule routes there gets 403 (RBAC: access denied)");
    expect(findings[0].fix).toBe('admit the callers in one of these policies (e.g. principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]), or route these callers elsewhere');
  });

  test('warns about a mesh rule whose sourceLabels callers are all denied, and accepts one admitting any of them', () => {
    // GIVEN client pods labelled role=client running as service account client, and a tcp rule for them
    const clients = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: default }
spec: { template: { metadata: { labels: { role: client } }, spec: { serviceAccountName: client } } }
---`;
    const tcpRule = virtualService('web', `  hosts: [web]
  tcp: [{ match: [{ sourceLabels: { role: client } }], route: [{ destination: { host: web, subset: green, port: { number: 80 } } }] }]`);
    const denying = policy('web', '  selector: { matchLabels: { app: web } }\n  rules: [{ from: [{ source: { principals: [cluster.local/ns/default/sa/other] } }] }]');
    const admitting = policy('web', '  selector: { matchLabels: { app: web } }\n  rules: [{ from: [{ source: { principals: [cluster.local/ns/default/sa/client] } }] }]');

    // WHEN / THEN a warning: the selected pods may call, a gateway certainly does
    expect(findingsOf(app('web') + clients + tcpRule + denying, 'ISTT008').map((f) => [f.severity, f.path])).toEqual([[FindingSeverity.WARNING, 'spec.tcp[0].route[0].destination']]);
    expect(findingsOf(app('web') + clients + tcpRule + admitting, 'ISTT008')).toEqual([]);
  });

  test('an ALLOW rule with HTTP-only fields never admits a TCP route\'s callers', () => {
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: ['*']
  gateways: [gw]
  tcp: [{ route: [{ destination: { host: web, port: { number: 80 } } }] }]`) + policy('web', '  rules: [{ to: [{ operation: { methods: [GET] } }] }]');
    expect(findingsOf(yaml, 'ISTT008').map((f) => f.path)).toEqual(['spec.tcp[0].route[0].destination']);
  });

  test('leaves alone routes any mesh pod may use, pods without ALLOW policies, and policies admitting the gateway', () => {
    const meshRoute = virtualService('web', `  hosts: [web]
  http: [{ route: [{ destination: { host: web } }] }]`);
    const strict = policy('web', '  selector: { matchLabels: { app: web } }\n  rules: [{ from: [{ source: { namespaces: [shop] } }] }]');
    expect(findingsOf(app('web') + meshRoute + strict, 'ISTT008')).toEqual([]);
    expect(findingsOf(app('web') + GATEWAY + viaGateway + policy('green-only', '  selector: { matchLabels: { version: green } }'), 'ISTT008')).toEqual([]);
    expect(findingsOf(app('web') + GATEWAY + viaGateway + policy('web', '  rules: [{ from: [{ source: { principals: ["*"] } }] }]'), 'ISTT008')).toEqual([]);
  });
});
