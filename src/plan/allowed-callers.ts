import { markdownCell } from './escape';
import { shortHost } from './rule-words';
import { DEFAULT_INGRESS_GATEWAY } from '../security/gateway-identity';
import {
  actionOf, mutualTlsMode, PolicyWorkload, principalFor, SecurityPolicy, WorkloadPolicyIndex,
} from '../semantics/authorization';
import { flatten, IndexedPod, IndexedService, ManifestIndex } from '../semantics/manifest-index';
import { resolveShortname } from '../semantics/names';

const SECURITY_KINDS = ['AuthorizationPolicy', 'PeerAuthentication'];

/** One AuthorizationPolicy (or none) as it applies to some pods of one service. */
export interface CallerRow {
  /** The service's FQDN. */
  readonly service: string;
  /** Which of the service's pods, in words (`all pods`, `version=blue`). */
  readonly pods: string;
  /** The mTLS mode those pods require, with port exceptions. */
  readonly mtls: string;
  /** `ALLOW ns/name`, or `-` when no policy applies. */
  readonly policy: string;
  /** Who may call, in words. */
  readonly callers: string;
}

/**
 * Who may call each service, from the AuthorizationPolicies and PeerAuthentications that apply to
 * its pods: one row per policy (in creation order), plus a row for pods no policy guards. Services
 * without either kind of policy are left out.
 */
export function buildCallerRows(manifests: any[]): CallerRow[] {
  // most plans have no security objects: skip indexing the manifests a second time
  if (![...flatten(manifests)].some((m) => SECURITY_KINDS.includes(m.kind) && String(m.apiVersion).startsWith('security.istio.io/'))) {
    return [];
  }
  const index = new ManifestIndex(manifests);
  const accounts = serviceAccountOwners(index);
  const lookup: Lookup = {
    index,
    podsByLabel: podsByLabel(index),
    subsetsByHost: subsetsByHost(index),
    authorizationPolicies: new WorkloadPolicyIndex(index.authorizationPolicies),
    peerAuthentications: new WorkloadPolicyIndex(index.peerAuthentications),
  };
  const rows: CallerRow[] = [];
  for (const svc of [...index.services.values()].sort((a, b) => a.fqdn.localeCompare(b.fqdn))) {
    const pods = podsOf(lookup, svc);
    if (pods.length === 0) {
      continue;
    }
    const guarded = pods.map((pod) => ({ pod, policies: lookup.authorizationPolicies.forWorkload(pod) }));
    const policies = [...new Set(guarded.flatMap((g) => g.policies))];
    const unguarded = guarded.filter((g) => g.policies.length === 0).map((g) => g.pod);
    const mtls = (group: PolicyWorkload[]) => mtlsWords(lookup, svc, group);
    if (policies.length === 0 && mtls(pods) === 'PERMISSIVE') {
      continue;
    }
    for (const policy of policies) {
      const group = guarded.filter((g) => g.policies.includes(policy)).map((g) => g.pod);
      rows.push({
        service: svc.fqdn,
        pods: podWords(svc, group, pods, policy.spec?.selector?.matchLabels),
        mtls: mtls(group),
        policy: `${actionOf(policy)} ${policy.namespace}/${policy.name}`,
        callers: policyWords(policy, accounts),
      });
    }
    if (unguarded.length > 0) {
      rows.push({ service: svc.fqdn, pods: podWords(svc, unguarded, pods, undefined), mtls: mtls(unguarded), policy: '-', callers: 'anyone (no AuthorizationPolicy)' });
    }
  }
  return rows;
}

/** The rows as a Markdown section, or nothing when there are none. */
export function renderCallers(rows: CallerRow[]): string {
  if (rows.length === 0) {
    return '';
  }
  const lines = [
    '',
    '## Who may call',
    '',
    'The called pods check every request: DENY policies first, then ALLOW policies (pods with ALLOW policies admit only what one of them matches).',
    'Callers are told apart by their mutual TLS identity.',
    '',
    '| Service | Pods | mTLS | Policy | Who may call |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[shortHost(r.service), r.pods, r.mtls, r.policy, r.callers].map(markdownCell).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}

/** Indexes built once, so each service costs lookups rather than scans. */
interface Lookup {
  readonly index: ManifestIndex;
  /** Pods by `namespace|key=value`. */
  readonly podsByLabel: Map<string, IndexedPod[]>;
  /** DestinationRule subsets of the service's own namespace, by host. */
  readonly subsetsByHost: Map<string, any[]>;
  readonly authorizationPolicies: WorkloadPolicyIndex;
  readonly peerAuthentications: WorkloadPolicyIndex;
}

function podsByLabel(index: ManifestIndex): Map<string, IndexedPod[]> {
  const byLabel = new Map<string, IndexedPod[]>();
  for (const pod of index.pods) {
    for (const [k, v] of Object.entries(pod.labels)) {
      const key = `${pod.namespace}|${k}=${v}`;
      const list = byLabel.get(key);
      if (list) {
        list.push(pod);
      } else {
        byLabel.set(key, [pod]);
      }
    }
  }
  return byLabel;
}

function subsetsByHost(index: ManifestIndex): Map<string, any[]> {
  const byHost = new Map<string, any[]>();
  for (const dr of index.destinationRules) {
    const host = resolveShortname(String(dr.spec.host ?? ''), dr.namespace);
    // only rules beside the Service: they are the ones that describe its versions
    if (host === `${host.split('.')[0]}.${dr.namespace}.svc.cluster.local`) {
      byHost.set(host, [...byHost.get(host) ?? [], ...(Array.isArray(dr.spec.subsets) ? dr.spec.subsets : [])]);
    }
  }
  return byHost;
}

/** The service's pods, or (without workloads in the manifests) one pod per DestinationRule subset. */
function podsOf(lookup: Lookup, svc: IndexedService): PolicyWorkload[] {
  const index = lookup.index;
  const selector = Object.entries(svc.selector ?? {});
  if (selector.length === 0) {
    return [];
  }
  if (index.hasWorkloads) {
    const [k, v] = selector[0];
    return (lookup.podsByLabel.get(`${svc.namespace}|${k}=${v}`) ?? []).filter((p) => selector.every(([key, value]) => p.labels[key] === value));
  }
  const subsets = lookup.subsetsByHost.get(svc.fqdn) ?? [];
  const labels = subsets.length > 0 ? subsets.map((s: any) => ({ ...svc.selector, ...s?.labels })) : [svc.selector];
  return labels.map((l: Record<string, string>) => ({ namespace: svc.namespace, labels: l }));
}

/** `all pods`, else the labels the policy selects beyond the Service's, else the pods' workloads. */
function podWords(svc: IndexedService, group: PolicyWorkload[], all: PolicyWorkload[], selector: Record<string, string> | undefined): string {
  if (group.length === all.length) {
    return 'all pods';
  }
  const extra = Object.entries(selector ?? {}).filter(([k]) => svc.selector?.[k] === undefined);
  if (extra.length > 0) {
    return extra.map(([k, v]) => `${k}=${v}`).join(', ');
  }
  const owners = group.map((p) => (p as IndexedPod).owner ?? Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(', '));
  return [...new Set(owners)].join('; ');
}

/** The mTLS mode the pods require, e.g. `STRICT` or `STRICT (port 9090 PERMISSIVE)`. */
function mtlsWords(lookup: Lookup, svc: IndexedService, pods: PolicyWorkload[]): string {
  const modeAt = (p: PolicyWorkload, port: number | undefined) => mutualTlsMode(lookup.peerAuthentications.forWorkload(p), p, port);
  const modes = new Set(pods.map((p) => modeAt(p, undefined)));
  const base = [...modes].join(' / ');
  const exceptions: string[] = [];
  for (const port of svc.ports) {
    const target = port.targetPort ?? port.port;
    const portModes = new Set(pods.map((p) => modeAt(p, target)));
    if (portModes.size !== modes.size || [...portModes].some((m) => !modes.has(m))) {
      exceptions.push(`port ${port.port} ${[...portModes].join(' / ')}`);
    }
  }
  return exceptions.length > 0 ? `${base} (${exceptions.join(', ')})` : base;
}

/** `namespace/serviceAccount` -> the workloads in the manifests running as it. */
function serviceAccountOwners(index: ManifestIndex): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const pod of index.pods) {
    const key = `${pod.namespace}/${pod.serviceAccount}`;
    owners.set(key, [...owners.get(key) ?? [], pod.owner]);
  }
  return owners;
}

function policyWords(policy: SecurityPolicy, accounts: Map<string, string[]>): string {
  const rules: any[] = Array.isArray(policy.spec?.rules) ? policy.spec.rules : [];
  const action = actionOf(policy);
  if (rules.length === 0) {
    return action === 'ALLOW' ? 'nobody (the policy has no rules)' : 'matches nothing (the policy has no rules)';
  }
  const words = rules.map((rule) => ruleWords(rule, accounts)).join('; or ');
  switch (action) {
    case 'ALLOW':
      return words;
    case 'DENY':
      return `everyone except: ${words}`;
    case 'CUSTOM':
      return `${words}, if external authorizer ${policy.spec?.provider?.name ?? '(unnamed)'} allows`;
    default:
      return `anyone (${action.toLowerCase()} of: ${words})`;
  }
}

function ruleWords(rule: any, accounts: Map<string, string[]>): string {
  const sources = (Array.isArray(rule?.from) ? rule.from : []).map((f: any) => sourceWords(f?.source ?? {}, accounts)).filter((w: string) => w);
  const operations = (Array.isArray(rule?.to) ? rule.to : []).map((t: any) => fieldWords(t?.operation ?? {}, (v) => v)).filter((w: string) => w);
  const conditions = (Array.isArray(rule?.when) ? rule.when : []).map((w: any) => conditionWords(w));
  let words = sources.length > 0 ? sources.join(' or ') : 'anyone';
  if (operations.length > 0) {
    words += `, to ${operations.join(' or ')}`;
  }
  if (conditions.length > 0) {
    words += `, when ${conditions.join(' and ')}`;
  }
  return words;
}

function sourceWords(source: any, accounts: Map<string, string[]>): string {
  return fieldWords(source, (value, field) => (field === 'principals' || field === 'notPrincipals' ? principalWords(value, accounts) : value));
}

/** Every list field of a source or operation: `principals a, b and not namespaces c`. */
function fieldWords(object: any, valueWords: (value: string, field: string) => string): string {
  const parts: string[] = [];
  for (const [field, values] of Object.entries(object ?? {})) {
    if (!Array.isArray(values) || values.length === 0) {
      continue;
    }
    const negated = field.startsWith('not');
    const name = negated ? field[3].toLowerCase() + field.slice(4) : field;
    const listed = values.map((v) => valueWords(String(v), field)).join(', ');
    parts.push(`${negated ? 'not ' : ''}${name === 'principals' ? '' : `${name} `}${listed}`);
  }
  return parts.join(' and ');
}

function conditionWords(when: any): string {
  const values = Array.isArray(when?.values) ? ` in ${when.values.join(', ')}` : '';
  const notValues = Array.isArray(when?.notValues) ? ` not in ${when.notValues.join(', ')}` : '';
  return `${when?.key}${values}${notValues}`;
}

/** `*` and known identities in words; other principals as written. */
function principalWords(principal: string, accounts: Map<string, string[]>): string {
  if (principal === '*') {
    return 'any workload with a mesh identity';
  }
  const match = /^cluster\.local\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  if (!match) {
    return `principal ${principal}`;
  }
  const key = `${match[1]}/${match[2]}`;
  if (principal === principalFor(DEFAULT_INGRESS_GATEWAY.namespace, DEFAULT_INGRESS_GATEWAY.serviceAccount) && !accounts.has(key)) {
    return `the ingress gateway (${key})`;
  }
  const owners = accounts.get(key);
  return owners ? `${owners.join(', ')} (${key})` : `service account ${key}`;
}
