import {
  authorize, AuthorizationRequest, mutualTlsMode, policiesForWorkload, principalFor, SecurityPolicy, WorkloadPolicyIndex,
} from '../../src/semantics/authorization';

/**
 * The authorization core against istiod's own rules. Each test names the istio/istio file and
 * function whose behaviour it pins.
 */
const WEB = principalFor('shop', 'web');
const http = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  principal: WEB, protocol: 'HTTP', port: 8080, host: 'db.shop', method: 'GET', path: '/', headers: {}, ...over,
});
const tcp = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({ principal: WEB, protocol: 'TCP', port: 3306, ...over });
const policy = (name: string, spec: any, namespace = 'shop', annotations?: Record<string, string>): SecurityPolicy => ({ namespace, name, spec, annotations });
const allowFrom = (name: string, source: any) => policy(name, { action: 'ALLOW', rules: [{ from: [{ source }] }] });

describe('evaluation order (pilot/pkg/security/authz/builder/builder.go `build`: CUSTOM, then AUDIT/DENY/ALLOW filters in that order)', () => {
  test('without ALLOW policies every request that no DENY policy matches is allowed', () => {
    // GIVEN only a DENY policy for another namespace
    const policies = [policy('deny-other', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['other'] } }] }] })];

    // WHEN / THEN
    expect(authorize(policies, http())).toMatchObject({ allowed: true, policies: [] });
    expect(authorize([], http())).toMatchObject({ allowed: true });
  });

  test('a matching DENY wins over a matching ALLOW and names the policy', () => {
    // GIVEN an ALLOW for everyone and a DENY for the web service account
    const policies = [policy('allow-all', { rules: [{}] }), allowFrom('x', {}), policy('deny-web', { action: 'DENY', rules: [{ from: [{ source: { principals: [WEB] } }] }] })];

    // WHEN
    const decision = authorize(policies, http());

    // THEN
    expect(decision).toMatchObject({ allowed: false, action: 'DENY', policies: ['shop/deny-web'] });
    expect(decision.reason).toBe('DENY policy shop/deny-web matches the request');
  });

  test('when ALLOW policies apply and none matches, the request is denied, naming every ALLOW policy', () => {
    // GIVEN two ALLOW policies for other callers
    const policies = [allowFrom('a', { principals: ['cluster.local/ns/shop/sa/api'] }), allowFrom('b', { namespaces: ['ops'] })];

    // WHEN
    const decision = authorize(policies, http());

    // THEN
    expect(decision).toMatchObject({ allowed: false, action: 'ALLOW', policies: ['shop/a', 'shop/b'] });
    expect(decision.reason).toMatch(/none matches the request from cluster.local\/ns\/shop\/sa\/web/);
  });

  test('an ALLOW policy without rules matches nothing (`rbacPolicyMatchNever`), `rules: [{}]` matches everything', () => {
    expect(authorize([policy('nothing', { action: 'ALLOW' })], http()).allowed).toBe(false);
    expect(authorize([policy('everything', { action: 'ALLOW', rules: [{}] })], http({ principal: undefined })).allowed).toBe(true);
  });

  test('a matching CUSTOM policy hands the request to its provider first; DENY still applies afterwards', () => {
    // GIVEN a CUSTOM policy for every request and a DENY for /admin
    const policies = [
      policy('ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] }),
      policy('no-admin', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] }),
    ];

    // WHEN / THEN
    expect(authorize(policies, http())).toMatchObject({ allowed: true, delegatedTo: ['shop/ext'] });
    expect(authorize(policies, http({ path: '/admin/users' }))).toMatchObject({ allowed: false, delegatedTo: ['shop/ext'], policies: ['shop/no-admin'] });
  });

  test('dry-run policies (annotation istio.io/dry-run, `isDryRun`) and AUDIT policies never decide', () => {
    const policies = [
      policy('shadow', { action: 'DENY', rules: [{}] }, 'shop', { 'istio.io/dry-run': 'true' }),
      policy('audit', { action: 'AUDIT', rules: [{}] }),
    ];
    expect(authorize(policies, http())).toMatchObject({ allowed: true, policies: [] });
  });
});

describe('sources (pilot/pkg/security/authz/model/generator.go)', () => {
  test('principals: exact, `*` for any identity, prefix and suffix; `cluster.local` means the local trust domain (trustdomain/bundle.go `ReplaceTrustDomainAliases`)', () => {
    const allowed = (value: string, principal: string | undefined = WEB) => authorize([allowFrom('p', { principals: [value] })], http({ principal })).allowed;
    expect(allowed(WEB)).toBe(true);
    expect(allowed('cluster.local/ns/shop/sa/api')).toBe(false);
    expect(allowed('*')).toBe(true);
    expect(allowed('cluster.local/ns/shop/*')).toBe(true);
    expect(allowed('*/sa/web')).toBe(true);
    expect(allowed('cluster.local/ns/shop/sa/web', 'example.org/ns/shop/sa/web')).toBe(true);
    expect(allowed('other.org/ns/shop/sa/web', 'example.org/ns/shop/sa/web')).toBe(false);
  });

  test('plain text carries no identity: principals, `*` and namespaces never match it, notPrincipals always does (`principalAuthenticated`)', () => {
    const plain = http({ principal: undefined });
    expect(authorize([allowFrom('p', { principals: ['*'] })], plain).allowed).toBe(false);
    expect(authorize([allowFrom('n', { namespaces: ['shop'] })], plain).allowed).toBe(false);
    expect(authorize([allowFrom('not', { notPrincipals: [WEB] })], plain).allowed).toBe(true);
  });

  test('namespaces are the regex `.*/ns/<ns>/.*` on the identity, `*` standing for any characters (`srcNamespaceGenerator`)', () => {
    const allowed = (value: string, principal: string) => authorize([allowFrom('n', { namespaces: [value] })], http({ principal })).allowed;
    expect(allowed('shop', WEB)).toBe(true);
    expect(allowed('sho', WEB)).toBe(false);
    expect(allowed('prod-*', principalFor('prod-eu', 'web'))).toBe(true);
    expect(allowed('prod-*', WEB)).toBe(false);
  });

  test('serviceAccounts take `namespace/name` or a bare name in the policy namespace (`serviceAccountRegex`)', () => {
    const allowed = (value: string, principal = WEB) => authorize([allowFrom('s', { serviceAccounts: [value] })], http({ principal })).allowed;
    expect(allowed('shop/web')).toBe(true);
    expect(allowed('web')).toBe(true);
    expect(allowed('web', principalFor('other', 'web'))).toBe(false);
    expect(allowed('shop/we')).toBe(false);
  });

  test('within a source every field must match (AND); across `from` entries one suffices (OR)', () => {
    const both = policy('and', { rules: [{ from: [{ source: { namespaces: ['shop'], principals: ['cluster.local/ns/shop/sa/api'] } }] }] });
    const either = policy('or', { rules: [{ from: [{ source: { namespaces: ['ops'] } }, { source: { principals: [WEB] } }] }] });
    expect(authorize([both], http()).allowed).toBe(false);
    expect(authorize([either], http()).allowed).toBe(true);
  });
});

describe('operations and conditions (pilot/pkg/security/authz/model/model.go, matcher/header.go, matcher/template.go)', () => {
  test('paths: exact, prefix, suffix and the templates {*} (one segment) and {**} (the rest)', () => {
    const allowed = (value: string, path: string) => authorize([policy('p', { rules: [{ to: [{ operation: { paths: [value] } }] }] })], http({ path })).allowed;
    expect(allowed('/api/*', '/api/users')).toBe(true);
    expect(allowed('*.png', '/img/a.png')).toBe(true);
    expect(allowed('/users/{*}/profile', '/users/7/profile')).toBe(true);
    expect(allowed('/users/{*}/profile', '/users/7/8/profile')).toBe(false);
    expect(allowed('/files/{**}', '/files/a/b/c')).toBe(true);
  });

  test('hosts are matched case-insensitively (`HostMatcher`), methods exactly, ports against the workload port', () => {
    const allowed = (operation: any, over: Partial<AuthorizationRequest> = {}) => authorize([policy('o', { rules: [{ to: [{ operation }] }] })], http(over)).allowed;
    expect(allowed({ hosts: ['DB.shop'] })).toBe(true);
    expect(allowed({ methods: ['get'] })).toBe(false);
    expect(allowed({ ports: ['8080'] })).toBe(true);
    expect(allowed({ notPorts: ['8080'] })).toBe(false);
  });

  test('when: request headers and source.namespace are evaluated, an unknown attribute skips the rule (`model.New`)', () => {
    const allowed = (when: any, over: Partial<AuthorizationRequest> = {}) => authorize([policy('w', { rules: [{ when: [when] }] })], http(over)).allowed;
    expect(allowed({ key: 'request.headers[x-team]', values: ['pay*'] }, { headers: { 'x-team': 'payments' } })).toBe(true);
    expect(allowed({ key: 'request.headers[x-team]', values: ['pay*'] })).toBe(false);
    expect(allowed({ key: 'source.namespace', values: ['shop'] })).toBe(true);
    expect(allowed({ key: 'source.color', values: ['blue'] })).toBe(false);
  });

  test('on a TCP port an ALLOW rule with an HTTP-only field is dropped, a DENY rule loses only that field (`checkError`)', () => {
    // GIVEN an ALLOW for GET from web and a DENY for POST from web
    const allowGet = policy('allow-get', { rules: [{ from: [{ source: { principals: [WEB] } }], to: [{ operation: { methods: ['GET'] } }] }] });
    const denyPost = policy('deny-post', { action: 'DENY', rules: [{ from: [{ source: { principals: [WEB] } }], to: [{ operation: { methods: ['POST'] } }] }] });

    // WHEN / THEN the ALLOW rule never matches a TCP connection, and the DENY denies it whatever the method
    expect(authorize([allowGet], tcp())).toMatchObject({ allowed: false, policies: ['shop/allow-get'] });
    expect(authorize([denyPost], tcp())).toMatchObject({ allowed: false, action: 'DENY' });
    expect(authorize([denyPost], http())).toMatchObject({ allowed: true });
  });

  test('attributes the request does not know (no IP addresses) are assumed to match and reported', () => {
    const decision = authorize([allowFrom('ip', { ipBlocks: ['10.0.0.0/8'] })], http());
    expect(decision.allowed).toBe(true);
    expect(decision.assumptions).toEqual(['shop/ip: source.ipBlocks is not known for this request and was assumed to match']);
  });
});

describe('policy attachment (pilot/pkg/model/authorization.go `ListAuthorizationPolicies`, policyattachment.go `ShouldAttachPolicy`)', () => {
  const pod = { namespace: 'shop', labels: { app: 'db', version: 'blue' } };

  test('policies of the workload namespace and the root namespace whose selector the pod carries; targetRefs never attach to sidecars', () => {
    // GIVEN
    const policies = [
      policy('match', { selector: { matchLabels: { app: 'db' } } }),
      policy('other-version', { selector: { matchLabels: { app: 'db', version: 'green' } } }),
      policy('namespace-wide', {}),
      policy('mesh-wide', {}, 'istio-system'),
      policy('other-namespace', {}, 'ops'),
      policy('gateway-only', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'db' }] }),
    ];

    // WHEN
    const names = policiesForWorkload(policies, pod).map((p) => p.name);

    // THEN
    expect(names).toEqual(['match', 'namespace-wide', 'mesh-wide']);
    // AND the index used for many lookups answers the same, in the same order
    expect(new WorkloadPolicyIndex(policies).forWorkload(pod).map((p) => p.name)).toEqual(names);
    expect(new WorkloadPolicyIndex(policies).forWorkload({ namespace: 'ops', labels: {} }).map((p) => p.name)).toEqual(['mesh-wide', 'other-namespace']);
  });

  test('a Gateway API gateway pod takes targetRef policies naming its Gateway', () => {
    const gatewayPod = { namespace: 'shop', labels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } };
    const policies = [policy('edge', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'edge' }] }), policy('other', { targetRef: { kind: 'Gateway', name: 'x' } })];
    expect(policiesForWorkload(policies, gatewayPod).map((p) => p.name)).toEqual(['edge']);
  });
});

describe('effective mTLS mode (pilot/pkg/security/authn/policy_applier.go `ComposePeerAuthentication`)', () => {
  const pod = { namespace: 'shop', labels: { app: 'db' } };
  const pa = (name: string, spec: any, namespace = 'shop') => policy(name, spec, namespace);

  test('nothing applies: PERMISSIVE; the narrowest scope wins; UNSET inherits', () => {
    expect(mutualTlsMode([], pod, 3306)).toBe('PERMISSIVE');
    const mesh = pa('mesh', { mtls: { mode: 'STRICT' } }, 'istio-system');
    const namespace = pa('ns', { mtls: { mode: 'PERMISSIVE' } });
    const unset = pa('db', { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'UNSET' } });
    expect(mutualTlsMode([mesh], pod, 3306)).toBe('STRICT');
    expect(mutualTlsMode([mesh, namespace], pod, 3306)).toBe('PERMISSIVE');
    expect(mutualTlsMode([mesh, unset], pod, 3306)).toBe('STRICT');
  });

  test('portLevelMtls of the workload policy is keyed by the workload port; selector policies in the root namespace are ignored', () => {
    const workload = pa('db', { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'DISABLE' } } });
    expect(mutualTlsMode([workload], pod, 9090)).toBe('DISABLE');
    expect(mutualTlsMode([workload], pod, 3306)).toBe('STRICT');
    expect(mutualTlsMode([pa('root-selector', { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' } }, 'istio-system')], pod, 3306)).toBe('PERMISSIVE');
  });

  test('the oldest policy of a scope wins (the list is in creation order)', () => {
    const first = pa('a', { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' } });
    const second = pa('b', { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'DISABLE' } });
    expect(mutualTlsMode([first, second], pod, 1)).toBe('STRICT');
  });
});
