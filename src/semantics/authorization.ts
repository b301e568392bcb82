/**
 * Who may call a workload: Istio's AuthorizationPolicy evaluation and the PeerAuthentication mode
 * that decides whether a caller presents its mesh identity at all, as istiod 1.30 programs Envoy in
 * sidecar mode. Pure functions over plain objects: no manifests, no I/O.
 *
 * Sources (istio/istio):
 * - which policies apply to a workload: `pilot/pkg/model/authorization.go`
 *   (`ListAuthorizationPolicies`: root namespace and workload namespace) and
 *   `pilot/pkg/model/policyattachment.go` (`ShouldAttachPolicy`: selector, or targetRefs);
 * - evaluation order CUSTOM, DENY, ALLOW and "no rules matches nothing": `pilot/pkg/security/authz/builder/builder.go`
 *   (`build`, `rbacPolicyMatchNever`), and the Envoy RBAC filters it emits in that order;
 * - rule semantics (OR across `from` / `to`, AND across fields, `when` merged into both; HTTP-only
 *   fields on TCP ports skip an ALLOW rule and are dropped from a DENY rule):
 *   `pilot/pkg/security/authz/model/model.go` (`New`, `Generate`, `checkError`);
 * - value matching (`*`, `prefix*`, `*suffix`, namespaces and service accounts as regexes on the
 *   SPIFFE identity): `pilot/pkg/security/authz/model/generator.go` and
 *   `pilot/pkg/security/authz/matcher/{string,header}.go`;
 * - principals with trust domain `cluster.local` stand for the local trust domain:
 *   `pilot/pkg/security/trustdomain/bundle.go` (`ReplaceTrustDomainAliases`);
 * - the effective mTLS mode (workload over namespace over mesh, port-level overrides, UNSET inherits):
 *   `pilot/pkg/security/authn/policy_applier.go` (`ComposePeerAuthentication`, `GetMutualTLSModeForPort`);
 * - a port whose mode is DISABLE receives plain text even from sidecars (automatic mTLS follows the
 *   server's PeerAuthentication): `pilot/pkg/xds/endpoints/mtls_checker.go` (`checkMtlsEnabled`).
 */

/** istiod's default root namespace: policies there apply to every namespace. */
export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

/** The trust domain this project assumes; `cluster.local` in a policy means the local one anyway. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** The label Gateway API gateways carry; such workloads select policies by targetRef. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** An AuthorizationPolicy or PeerAuthentication, in creation order among its kind. */
export interface SecurityPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly spec: any;
  readonly annotations?: Record<string, string>;
}

/** The pod a request reaches. */
export interface PolicyWorkload {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * A request as the called workload's sidecar sees it. An attribute left undefined is unknown: a
 * condition on it is assumed to match (and reported in `assumptions`), which answers "may such a
 * request be allowed?".
 */
export interface AuthorizationRequest {
  /** The caller's mesh identity, `<trust domain>/ns/<namespace>/sa/<service account>`; undefined for plain text. */
  readonly principal?: string;
  /** `HTTP` or `TCP`: which filter chain of the workload port handles the request. */
  readonly protocol: 'HTTP' | 'TCP';
  /** The workload (container) port, as Envoy's inbound listener sees it. */
  readonly port?: number;
  /** `:authority` as sent (may carry `:port`). */
  readonly host?: string;
  readonly method?: string;
  /** Path without the query string. */
  readonly path?: string;
  /** Lower-cased header names. */
  readonly headers?: Record<string, string>;
  /** The SNI of the connection. */
  readonly sni?: string;
}

/** Which action decided. */
export type AuthorizationAction = 'CUSTOM' | 'DENY' | 'ALLOW';

/** The outcome of `authorize`. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  /** The action that decided, when a policy decided (undefined: no policy applies). */
  readonly action?: AuthorizationAction;
  /** `namespace/name` of the deciding policies: the matching DENY, the matching ALLOW, or every ALLOW when none matched. */
  readonly policies: string[];
  /** Why, in words. */
  readonly reason: string;
  /** CUSTOM policies that matched: their external authorizer is asked first (assumed to allow here). */
  readonly delegatedTo: string[];
  /** Conditions that could not be evaluated and were assumed to match. */
  readonly assumptions: string[];
}

/** The effective peer authentication mode of one workload port. */
export type MutualTlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** `cluster.local/ns/<namespace>/sa/<serviceAccount>`, the form AuthorizationPolicy principals use. */
export function principalFor(namespace: string, serviceAccount: string, trustDomain: string = DEFAULT_TRUST_DOMAIN): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * The AuthorizationPolicies that apply to a workload (`ListAuthorizationPolicies` + `ShouldAttachPolicy`):
 * those in the root namespace and in the workload's namespace whose selector labels the workload
 * carries (no selector: every workload). Policies with targetRefs attach only to Gateway API gateways
 * (and waypoints), never to sidecars. For many lookups build a `WorkloadPolicyIndex` once.
 */
export function policiesForWorkload(policies: SecurityPolicy[], workload: PolicyWorkload, rootNamespace = DEFAULT_ROOT_NAMESPACE): SecurityPolicy[] {
  return policies.filter((p) => (p.namespace === rootNamespace || p.namespace === workload.namespace) && attaches(p, workload));
}

/** Policies of one namespace: without selector, and by one label of their selector. */
interface NamespacePolicies {
  readonly unselected: number[];
  readonly byLabel: Map<string, number[]>;
}

/**
 * `policiesForWorkload` for many workloads: each policy is filed under its namespace and one label of
 * its selector, so a lookup reads only the buckets of the workload's labels, not every policy. The
 * result keeps the given (creation) order, which PeerAuthentication composition relies on.
 */
export class WorkloadPolicyIndex {
  private readonly byNamespace = new Map<string, NamespacePolicies>();

  constructor(private readonly policies: SecurityPolicy[], private readonly rootNamespace = DEFAULT_ROOT_NAMESPACE) {
    policies.forEach((policy, i) => {
      let entry = this.byNamespace.get(policy.namespace);
      if (!entry) {
        entry = { unselected: [], byLabel: new Map() };
        this.byNamespace.set(policy.namespace, entry);
      }
      const labels = Object.entries(policy.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).sort();
      if (labels.length === 0) {
        entry.unselected.push(i);
      } else {
        const bucket = entry.byLabel.get(labels[0]);
        if (bucket) {
          bucket.push(i);
        } else {
          entry.byLabel.set(labels[0], [i]);
        }
      }
    });
  }

  /** The policies that apply to the workload, in the order they were given. */
  public forWorkload(workload: PolicyWorkload): SecurityPolicy[] {
    const candidates = new Set<number>();
    for (const ns of new Set([this.rootNamespace, workload.namespace])) {
      const entry = this.byNamespace.get(ns);
      entry?.unselected.forEach((i) => candidates.add(i));
      for (const [k, v] of Object.entries(workload.labels)) {
        entry?.byLabel.get(`${k}=${v}`)?.forEach((i) => candidates.add(i));
      }
    }
    return [...candidates].sort((a, b) => a - b).map((i) => this.policies[i]).filter((p) => attaches(p, workload));
  }
}

function attaches(policy: SecurityPolicy, workload: PolicyWorkload): boolean {
  const targetRefs = targetRefsOf(policy.spec);
  const gatewayName = workload.labels[GATEWAY_NAME_LABEL];
  if (gatewayName === undefined) {
    return targetRefs.length === 0 && selects(policy.spec?.selector?.matchLabels, workload.labels);
  }
  if (targetRefs.length === 0) {
    // ENABLE_SELECTOR_BASED_K8S_GATEWAY_POLICY defaults to true
    return selects(policy.spec?.selector?.matchLabels, workload.labels);
  }
  return policy.namespace === workload.namespace && targetRefs.some((ref) => String(ref?.kind) === 'Gateway'
    && ['gateway.networking.k8s.io', ''].includes(String(ref?.group ?? '')) && String(ref?.name) === gatewayName
    && (ref?.namespace === undefined || ref.namespace === '' || ref.namespace === workload.namespace));
}

function targetRefsOf(spec: any): any[] {
  if (Array.isArray(spec?.targetRefs) && spec.targetRefs.length > 0) {
    return spec.targetRefs;
  }
  return spec?.targetRef ? [spec.targetRef] : [];
}

/** Whether every selector label is on the workload; no selector selects everything. */
export function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(matchLabels ?? {}).every(([k, v]) => labels[k] === String(v));
}

/** The action of a policy (`ALLOW` when unset). */
export function actionOf(policy: SecurityPolicy): string {
  return String(policy.spec?.action ?? 'ALLOW').toUpperCase();
}

/** A policy annotated `istio.io/dry-run: "true"` is only logged (shadow rules), never enforced. */
export function isDryRun(policy: SecurityPolicy): boolean {
  return String(policy.annotations?.['istio.io/dry-run'] ?? '').toLowerCase() === 'true';
}

/**
 * Authorizes a request against the policies that apply to the called workload: CUSTOM first (its
 * external authorizer decides; assumed to allow), then DENY (any match denies), then ALLOW (when any
 * ALLOW policy applies, one must match). AUDIT and dry-run policies never change the outcome.
 */
export function authorize(applicable: SecurityPolicy[], request: AuthorizationRequest): AuthorizationDecision {
  const assumptions: string[] = [];
  const enforced = applicable.filter((p) => !isDryRun(p));
  const ofAction = (action: string) => enforced.filter((p) => actionOf(p) === action);
  const delegatedTo = ofAction('CUSTOM').filter((p) => policyMatches(p, request, assumptions)).map(nameOf);
  const deny = ofAction('DENY').find((p) => policyMatches(p, request, assumptions));
  if (deny) {
    return {
      allowed: false,
      action: 'DENY',
      policies: [nameOf(deny)],
      delegatedTo,
      assumptions,
      reason: `DENY policy ${nameOf(deny)} matches the request`,
    };
  }
  const allows = ofAction('ALLOW');
  if (allows.length === 0) {
    return { allowed: true, policies: [], delegatedTo, assumptions, reason: 'no ALLOW policy applies to the workload, so every request not denied is allowed' };
  }
  const allow = allows.find((p) => policyMatches(p, request, assumptions));
  if (allow) {
    return { allowed: true, action: 'ALLOW', policies: [nameOf(allow)], delegatedTo, assumptions, reason: `ALLOW policy ${nameOf(allow)} matches the request` };
  }
  return {
    allowed: false,
    action: 'ALLOW',
    policies: allows.map(nameOf),
    delegatedTo,
    assumptions,
    reason: `${allows.length === 1 ? 'ALLOW policy' : 'ALLOW policies'} ${allows.map(nameOf).join(', ')} ${allows.length === 1 ? 'applies' : 'apply'} to the workload and ${allows.length === 1 ? 'does not match' : 'none matches'} the request${request.principal === undefined ? ' (the request carries no mTLS identity)' : ` from ${request.principal}`}`,
  };
}

/**
 * Whether any rule of the policy matches the request. No rules match nothing, `rules: [{}]`
 * matches everything (`builder.go` `rbacPolicyMatchNever`).
 */
export function policyMatches(policy: SecurityPolicy, request: AuthorizationRequest, assumptions: string[] = []): boolean {
  const rules = Array.isArray(policy.spec?.rules) ? policy.spec.rules : [];
  const allow = actionOf(policy) === 'ALLOW';
  return rules.some((rule: any) => rule !== null && rule !== undefined && ruleMatches(rule, policy, request, allow, assumptions));
}

/** The result of one condition: `http-only` when it names an HTTP attribute on a TCP port. */
type Outcome = boolean | 'http-only';

function ruleMatches(rule: any, policy: SecurityPolicy, request: AuthorizationRequest, allow: boolean, assumptions: string[]): boolean {
  const context: ConditionContext = { policy, request, assumptions };
  const outcomes: Outcome[] = [];
  for (const when of list(rule.when)) {
    const outcome = whenCondition(when, context);
    if (outcome === 'invalid') {
      // istiod skips a rule with an unknown attribute whatever the action (`model.New` fails)
      return false;
    }
    outcomes.push(outcome);
  }
  const from = list(rule.from);
  const to = list(rule.to);
  const fromOutcomes = from.map((f: any) => all(sourceConditions(f?.source, context), allow));
  const toOutcomes = to.map((t: any) => all(operationConditions(t?.operation, context), allow));
  if ([...fromOutcomes, ...toOutcomes].some((o) => o === 'skip') || (allow && outcomes.includes('http-only'))) {
    // ALLOW: an HTTP-only field on a TCP port makes istiod drop the rule (`checkError`)
    return false;
  }
  return (from.length === 0 || fromOutcomes.includes(true))
    && (to.length === 0 || toOutcomes.includes(true))
    && outcomes.every((o) => o !== false);
}

/** AND of conditions; for ALLOW an HTTP-only condition on TCP skips the rule, otherwise it is dropped. */
function all(outcomes: Outcome[], allow: boolean): boolean | 'skip' {
  if (allow && outcomes.includes('http-only')) {
    return 'skip';
  }
  return outcomes.every((o) => o !== false);
}

interface ConditionContext {
  readonly policy: SecurityPolicy;
  readonly request: AuthorizationRequest;
  readonly assumptions: string[];
}

/** `values` (any matches) and `notValues` (none matches) of one attribute; absent lists impose nothing. */
function valuesCondition(values: any, notValues: any, test: (value: string) => boolean | undefined, what: string,
  context: ConditionContext): boolean {
  const positive = list(values).map(String);
  const negative = list(notValues).map(String);
  let unknown = false;
  const check = (v: string) => {
    const r = test(v);
    if (r === undefined) {
      unknown = true;
      return true;
    }
    return r;
  };
  const matched = (positive.length === 0 || positive.some(check)) && !(negative.length > 0 && negative.some((v) => {
    const r = test(v);
    if (r === undefined) {
      unknown = true;
      return false;
    }
    return r;
  }));
  if (unknown) {
    context.assumptions.push(`${nameOf(context.policy)}: ${what} is not known for this request and was assumed to match`);
  }
  return matched;
}

function sourceConditions(source: any, context: ConditionContext): Outcome[] {
  if (!source || typeof source !== 'object') {
    return [];
  }
  const p = context.request.principal;
  const out: Outcome[] = [];
  const add = (values: any, notValues: any, test: (v: string) => boolean | undefined, what: string, httpOnly = false) => {
    if (list(values).length === 0 && list(notValues).length === 0) {
      return;
    }
    out.push(httpOnly && context.request.protocol === 'TCP' ? 'http-only' : valuesCondition(values, notValues, test, what, context));
  };
  add(source.principals, source.notPrincipals, (v) => p !== undefined && principalMatches(v, p), 'source.principals');
  add(source.namespaces, source.notNamespaces, (v) => p !== undefined && namespaceMatches(v, p), 'source.namespaces');
  add(source.serviceAccounts, source.notServiceAccounts, (v) => p !== undefined && serviceAccountMatches(v, p, context.policy.namespace), 'source.serviceAccounts');
  add(source.trustDomains, source.notTrustDomains, (v) => p !== undefined && trustDomainMatches(v, p), 'source.trustDomains');
  // the simulated request has no IP addresses
  add(source.ipBlocks, source.notIpBlocks, () => undefined, 'source.ipBlocks');
  add(source.remoteIpBlocks, source.notRemoteIpBlocks, () => undefined, 'source.remoteIpBlocks');
  // no JWT is modelled: a request principal never matches (Envoy finds no JWT metadata)
  add(source.requestPrincipals, source.notRequestPrincipals, () => false, 'source.requestPrincipals', true);
  return out;
}

function operationConditions(operation: any, context: ConditionContext): Outcome[] {
  if (!operation || typeof operation !== 'object') {
    return [];
  }
  const r = context.request;
  const out: Outcome[] = [];
  const add = (values: any, notValues: any, test: (v: string) => boolean | undefined, what: string, httpOnly: boolean) => {
    if (list(values).length === 0 && list(notValues).length === 0) {
      return;
    }
    out.push(httpOnly && r.protocol === 'TCP' ? 'http-only' : valuesCondition(values, notValues, test, what, context));
  };
  add(operation.ports, operation.notPorts, (v) => (r.port === undefined ? undefined : Number(v) === r.port), 'to.operation.ports', false);
  add(operation.hosts, operation.notHosts, (v) => (r.host === undefined ? undefined : wildcardMatches(v, r.host, true, true)), 'to.operation.hosts', true);
  add(operation.methods, operation.notMethods, (v) => (r.method === undefined ? undefined : wildcardMatches(v, r.method, false, true)), 'to.operation.methods', true);
  add(operation.paths, operation.notPaths, (v) => (r.path === undefined ? undefined : pathMatches(v, r.path)), 'to.operation.paths', true);
  return out;
}

/** One `when` condition; `invalid` for attributes istiod does not know. */
function whenCondition(when: any, context: ConditionContext): Outcome | 'invalid' {
  const key = String(when?.key ?? '');
  const r = context.request;
  const p = r.principal;
  const test = (fn: (v: string) => boolean | undefined) => valuesCondition(when.values, when.notValues, fn, `when ${key}`, context);
  const httpOnly = (fn: (v: string) => boolean | undefined): Outcome => (r.protocol === 'TCP' ? 'http-only' : test(fn));
  switch (key) {
    case 'source.principal':
      return test((v) => p !== undefined && principalMatches(v, p));
    case 'source.namespace':
      return test((v) => p !== undefined && namespaceMatches(v, p));
    case 'source.serviceAccount':
      return test((v) => p !== undefined && serviceAccountMatches(v, p, context.policy.namespace));
    case 'source.trustDomain':
      return test((v) => p !== undefined && trustDomainMatches(v, p));
    case 'destination.port':
      return test((v) => (r.port === undefined ? undefined : Number(v) === r.port));
    case 'connection.sni':
      return test((v) => (r.sni === undefined ? undefined : wildcardMatches(v, r.sni, false, false)));
    case 'source.ip':
    case 'remote.ip':
    case 'destination.ip':
      return test(() => undefined);
    case 'request.auth.principal':
    case 'request.auth.audiences':
    case 'request.auth.presenter':
      return httpOnly(() => false);
    default:
  }
  if (key.startsWith('request.headers[') && key.endsWith(']')) {
    const header = key.slice('request.headers['.length, -1).toLowerCase();
    return httpOnly((v) => {
      if (r.headers === undefined) {
        return undefined;
      }
      const value = r.headers[header];
      return value !== undefined && (v === '*' || wildcardMatches(v, value, false, false));
    });
  }
  if (key.startsWith('request.auth.claims[')) {
    return httpOnly(() => false);
  }
  if (key.startsWith('experimental.envoy.filters.')) {
    return test(() => undefined);
  }
  return 'invalid';
}

/**
 * Istio string values: `*` is any non-empty value, `prefix*`, `*suffix`, else exact
 * (`matcher.StringMatcherWithPrefix`, `HeaderMatcher`, `HostMatcher`).
 */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean, starIsPresence: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') {
    return starIsPresence ? true : v.length > 0;
  }
  if (p.startsWith('*')) {
    return v.endsWith(p.slice(1));
  }
  if (p.endsWith('*')) {
    return v.startsWith(p.slice(0, -1));
  }
  return v === p;
}

/** Principals: `spiffe://` is prepended except for `*`, which is any non-empty identity. */
function principalMatches(pattern: string, principal: string): boolean {
  if (pattern === '*') {
    return principal.length > 0;
  }
  return wildcardMatches(localTrustDomain(pattern, principal), principal, false, false);
}

/**
 * A principal naming trust domain `cluster.local` points to the local trust domain
 * (`ReplaceTrustDomainAliases`), which is taken to be the caller's.
 */
function localTrustDomain(pattern: string, principal: string): string {
  const local = principal.split('/')[0];
  return pattern.startsWith(`${DEFAULT_TRUST_DOMAIN}/`) ? `${local}${pattern.slice(DEFAULT_TRUST_DOMAIN.length)}` : pattern;
}

/** Namespaces: the regex `.*\/ns/<value, * as .*>/.*` on the SPIFFE identity (`srcNamespaceGenerator`). */
function namespaceMatches(pattern: string, principal: string): boolean {
  const ns = pattern.split('*').map(escapeRegex).join('.*');
  return new RegExp(`^.*/ns/${ns}/.*$`).test(`spiffe://${principal}`);
}

/** Service accounts: `name` (policy namespace) or `namespace/name` (`serviceAccountRegex`). */
function serviceAccountMatches(value: string, principal: string, policyNamespace: string): boolean {
  const slash = value.indexOf('/');
  const ns = slash >= 0 ? value.slice(0, slash) : policyNamespace;
  const sa = slash >= 0 ? value.slice(slash + 1) : value;
  return new RegExp(`^spiffe://.+/ns/${escapeRegex(ns)}/(.+/|)sa/${escapeRegex(sa)}(/.+)?$`).test(`spiffe://${principal}`);
}

/** Trust domains: `*` any, exact, or one `*` standing for characters other than `/` (`srcTrustDomainGenerator`). */
function trustDomainMatches(pattern: string, principal: string): boolean {
  const identity = `spiffe://${principal}`;
  if (pattern === '*') {
    return true;
  }
  if (!pattern.includes('*')) {
    return identity.startsWith(`spiffe://${pattern}/`);
  }
  const [before, after] = [pattern.slice(0, pattern.indexOf('*')), pattern.slice(pattern.indexOf('*') + 1)];
  return new RegExp(`^spiffe://${escapeRegex(before)}[^/]*${escapeRegex(after)}/.*$`).test(identity);
}

/**
 * Paths (without query): templates `{*}` (one segment) and `{**}` (the rest), else the Istio string
 * forms (`pathGenerator`, `matcher.PathTemplateMatcher`).
 */
function pathMatches(pattern: string, path: string): boolean {
  if (pattern.includes('{*}') || pattern.includes('{**}')) {
    const regex = pattern.split(/(\{\*\*\}|\{\*\})/).map((part) => {
      if (part === '{**}') {
        return '.*';
      }
      return part === '{*}' ? '[^/]+' : escapeRegex(part);
    }).join('');
    return new RegExp(`^${regex}$`).test(path);
  }
  return wildcardMatches(pattern, path, false, false);
}

/**
 * The effective mTLS mode of a workload port (`ComposePeerAuthentication`): the oldest policy of the
 * narrowest scope wins (workload: selector and not in the root namespace; namespace; mesh: root
 * namespace without selector), UNSET inherits from the wider scope, and only the workload policy's
 * `portLevelMtls` (keyed by the workload port) overrides per port. Nothing applies: PERMISSIVE.
 *
 * @param peerAuthentications PeerAuthentications in creation order
 */
export function mutualTlsMode(peerAuthentications: SecurityPolicy[], workload: PolicyWorkload, port: number | undefined,
  rootNamespace = DEFAULT_ROOT_NAMESPACE): MutualTlsMode {
  let mesh: SecurityPolicy | undefined;
  let namespace: SecurityPolicy | undefined;
  let workloadPolicy: SecurityPolicy | undefined;
  for (const pa of peerAuthentications) {
    if (pa.namespace !== rootNamespace && pa.namespace !== workload.namespace) {
      continue;
    }
    const selector = pa.spec?.selector?.matchLabels ?? {};
    if (Object.keys(selector).length === 0) {
      if (pa.namespace === rootNamespace) {
        mesh = mesh ?? pa;
      } else {
        namespace = namespace ?? pa;
      }
    } else if (pa.namespace !== rootNamespace && selects(selector, workload.labels)) {
      workloadPolicy = workloadPolicy ?? pa;
    }
  }
  let mode: MutualTlsMode = 'PERMISSIVE';
  for (const scope of [mesh, namespace, workloadPolicy]) {
    mode = modeOf(scope?.spec?.mtls?.mode) ?? mode;
  }
  if (port !== undefined && workloadPolicy?.spec?.portLevelMtls) {
    const entry = workloadPolicy.spec.portLevelMtls[String(port)];
    if (entry !== undefined) {
      mode = modeOf(entry?.mode) ?? mode;
    }
  }
  return mode;
}

function modeOf(value: any): MutualTlsMode | undefined {
  const mode = String(value ?? 'UNSET').toUpperCase();
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function nameOf(policy: SecurityPolicy): string {
  return `${policy.namespace}/${policy.name}`;
}

function list(value: any): any[] {
  return Array.isArray(value) ? value : [];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
