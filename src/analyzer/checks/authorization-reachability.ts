import {
  actionOf, isDryRun, mutualTlsMode, policyMatches, principalFor, SecurityPolicy, WorkloadPolicyIndex,
} from '../../semantics/authorization';
import { IndexedPod, IndexedVirtualService } from '../../semantics/manifest-index';
import { MESH_GATEWAY, resolveShortname } from '../../semantics/names';
import { PortProtocol } from '../../semantics/protocols';
import { callerIdentity } from '../../simulator/authorization-check';
import { AnalysisContext, formatLabels, matchesOf, stringRecord } from '../analysis-context';
import { FindingSeverity } from '../finding';

/** A caller of a rule: who it is and the identity it presents. */
interface RuleCaller {
  readonly words: string;
  /** A gateway forwards the rule's requests for sure; pods picked by `sourceLabels` only may send them. */
  readonly gateway: boolean;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * The known callers of a rule, with lookups by principal and namespace: a policy that names exact
 * principals or namespaces is only tried against the callers it names, so a rule whose callers are
 * many pods costs lookups, not a scan per destination.
 */
class CallerSet {
  private readonly byPrincipal = new Map<string, RuleCaller>();
  private readonly byNamespace = new Map<string, RuleCaller[]>();

  constructor(public readonly callers: RuleCaller[]) {
    for (const caller of callers) {
      this.byPrincipal.set(principalFor(caller.namespace, caller.serviceAccount), caller);
      const sameNamespace = this.byNamespace.get(caller.namespace);
      if (sameNamespace) {
        sameNamespace.push(caller);
      } else {
        this.byNamespace.set(caller.namespace, [caller]);
      }
    }
  }

  /** The callers the policy could admit: every source narrows to its exact principals or namespaces, else all. */
  public candidatesFor(policy: SecurityPolicy): RuleCaller[] {
    const out = new Set<RuleCaller>();
    for (const rule of arrayOf(policy.spec?.rules)) {
      const sources = arrayOf(rule?.from).map((f: any) => f?.source ?? {});
      if (sources.length === 0) {
        return this.callers;
      }
      for (const source of sources) {
        const principals = arrayOf(source.principals).map(String);
        const namespaces = arrayOf(source.namespaces).map(String);
        if (principals.length > 0 && principals.every((p) => !p.includes('*'))) {
          principals.forEach((p) => this.byPrincipal.has(p) && out.add(this.byPrincipal.get(p)!));
        } else if (namespaces.length > 0 && namespaces.every((n) => !n.includes('*'))) {
          namespaces.forEach((n) => (this.byNamespace.get(n) ?? []).forEach((c) => out.add(c)));
        } else {
          return this.callers;
        }
      }
    }
    return [...out];
  }
}

/**
 * ISTT008: ALLOW AuthorizationPolicies of the pods behind a VirtualService destination admit none of
 * the rule's only callers, so everything the rule routes there gets 403. A rule's callers are known
 * when it applies at gateways only (the gateway pods: ERROR) or only to mesh callers picked by
 * `sourceLabels` (the pods carrying them, which may or may not call: WARNING); rules any pod can use
 * are left alone. Whether a policy
 * could admit a caller is decided by its source conditions alone: operations are assumed to match.
 */
export function checkAuthorizationReachability(ctx: AnalysisContext): void {
  const index = ctx.index;
  if (index.authorizationPolicies.length === 0 || !index.hasWorkloads) {
    return;
  }
  const allowPolicies = new WorkloadPolicyIndex(index.authorizationPolicies.filter((p) => actionOf(p) === 'ALLOW' && !isDryRun(p)));
  const context: PolicyContext = {
    allowPoliciesOf: (pod) => allowPolicies.forWorkload(pod),
    peerAuthentications: new WorkloadPolicyIndex(index.peerAuthentications),
  };
  const callerSets = new CallerSets(ctx);
  for (const vs of index.virtualServices) {
    for (const list of ['http', 'tcp'] as const) {
      const rules: any[] = Array.isArray(vs.spec[list]) ? vs.spec[list] : [];
      rules.forEach((rule, i) => {
        const callers = callerSets.of(vs, rule);
        if (!callers || callers.callers.length === 0) {
          return;
        }
        (Array.isArray(rule?.route) ? rule.route : []).forEach((route: any, j: number) => {
          const path = `spec.${list}[${i}].route[${j}].destination`;
          checkDestination(ctx, vs, path, route?.destination, list === 'tcp', callers, context);
        });
      });
    }
  }
}

/**
 * The callers of a rule when they are known: the gateways, plus (on the mesh) the pods every match
 * entry selects with `sourceLabels`; undefined when any mesh pod may use the rule. Rules of many
 * releases share gateways and selectors (`version: blue`), so each distinct set is built once.
 */
class CallerSets {
  private readonly sets = new Map<string, CallerSet>();
  private readonly gateways = new Map<string, RuleCaller>();

  constructor(private readonly ctx: AnalysisContext) {}

  public of(vs: IndexedVirtualService, rule: any): CallerSet | undefined {
    const gateways = vs.gateways.filter((g) => g !== MESH_GATEWAY && this.ctx.index.gateways.has(g));
    const selectors: { namespace?: string; labels: Record<string, string> }[] = [];
    if (vs.gateways.includes(MESH_GATEWAY)) {
      const matches = matchesOf(rule);
      if (matches.length === 0 || matches.some((m) => Object.keys(stringRecord(m?.sourceLabels)).length === 0 || Array.isArray(m?.gateways))) {
        return undefined;
      }
      for (const m of matches) {
        selectors.push({ namespace: m.sourceNamespace ? String(m.sourceNamespace) : undefined, labels: stringRecord(m.sourceLabels) });
      }
    }
    const key = JSON.stringify([gateways, selectors.map((s) => [s.namespace, Object.entries(s.labels).sort()])]);
    let set = this.sets.get(key);
    if (!set) {
      set = new CallerSet([...gateways.map((g) => this.gateway(g)), ...this.pods(selectors)]);
      this.sets.set(key, set);
    }
    return set;
  }

  /** A gateway's identity; Gateways with the same namespace and selector share their pods. */
  private gateway(ref: string): RuleCaller {
    const gw = this.ctx.index.gateways.get(ref)!;
    const key = JSON.stringify([gw.namespace, Object.entries(gw.spec.selector ?? {}).sort()]);
    let caller = this.gateways.get(key);
    if (!caller) {
      const identity = callerIdentity(this.ctx.index, { gateway: ref, host: '*' });
      caller = { words: `gateway ${ref} (${identity.namespace}/${identity.serviceAccount})`, gateway: true, namespace: identity.namespace, serviceAccount: identity.serviceAccount };
      this.gateways.set(key, caller);
    }
    return caller;
  }

  private pods(selectors: { namespace?: string; labels: Record<string, string> }[]): RuleCaller[] {
    const callers = new Map<string, RuleCaller>();
    for (const { namespace, labels } of selectors) {
      for (const pod of this.ctx.podsMatching(namespace, labels)) {
        callers.set(`${pod.namespace}/${pod.serviceAccount}`, {
          words: `pods labelled ${formatLabels(labels)} (${pod.owner}, ${pod.namespace}/${pod.serviceAccount})`,
          gateway: false,
          namespace: pod.namespace,
          serviceAccount: pod.serviceAccount,
        });
      }
    }
    return [...callers.values()];
  }
}

/** The policies of a pod, looked up through indexes built once. */
interface PolicyContext {
  readonly allowPoliciesOf: (pod: IndexedPod) => SecurityPolicy[];
  readonly peerAuthentications: WorkloadPolicyIndex;
}

function checkDestination(ctx: AnalysisContext, vs: IndexedVirtualService, path: string, destination: any, tcp: boolean, callers: CallerSet,
  policies: PolicyContext): void {
  const index = ctx.index;
  const fqdn = resolveShortname(String(destination?.host ?? ''), vs.namespace);
  const svc = index.services.get(fqdn);
  if (!svc?.selector) {
    return;
  }
  const subset = destination?.subset ? ctx.subsetsByHost.get(fqdn)?.get(String(destination.subset)) : undefined;
  if (destination?.subset && !subset) {
    return;
  }
  const pods = ctx.podsMatching(svc.namespace, svc.selector, subset?.labels ?? {});
  const guarded = pods.map((pod) => ({ pod, allows: policies.allowPoliciesOf(pod) }));
  if (pods.length === 0 || guarded.some((g) => g.allows.length === 0)) {
    return;
  }
  const explicitPort = destination?.port?.number !== undefined ? Number(destination.port.number) : undefined;
  const portNumber = explicitPort ?? (svc.ports.length === 1 ? svc.ports[0].port : undefined);
  const port = svc.ports.find((p) => p.port === portNumber);
  const targetPort = port?.targetPort ?? portNumber;
  const http = !tcp && (port === undefined || port.protocol === PortProtocol.HTTP || port.protocol === PortProtocol.SNIFFED);
  const admitted = guarded.some(({ pod, allows }) => {
    const plain = mutualTlsMode(policies.peerAuthentications.forWorkload(pod), pod, targetPort) === 'DISABLE';
    return allows.some((policy) => callers.candidatesFor(policy).some((caller) => policyMatches(policy, {
      principal: plain ? undefined : principalFor(caller.namespace, caller.serviceAccount),
      protocol: http ? 'HTTP' : 'TCP',
      port: targetPort,
    })));
  });
  if (admitted) {
    return;
  }
  const names = [...new Set(guarded.flatMap((g) => g.allows.map((p) => `${p.namespace}/${p.name}`)))];
  const target = destination.subset ? `subset '${destination.subset}' of ${fqdn}` : fqdn;
  const first = callers.callers[0];
  const shown = callers.callers.slice(0, 5).map((c) => c.words).join('; ') + (callers.callers.length > 5 ? `; and ${callers.callers.length - 5} more` : '');
  ctx.report('ISTT008', vs, path, `ALLOW AuthorizationPolicies ${names.join(', ')} of the pods behind ${target} admit none of this rule's callers: ${shown}; every request the rule routes there gets 403 (RBAC: access denied)`,
    `admit the callers in one of these policies (e.g. principals: ["${principalFor(first.namespace, first.serviceAccount)}"]), or route these callers elsewhere`,
    callers.callers.some((c) => c.gateway) ? undefined : FindingSeverity.WARNING);
}

function arrayOf(value: any): any[] {
  return Array.isArray(value) ? value : [];
}
