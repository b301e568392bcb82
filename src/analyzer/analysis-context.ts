import { Code, CODES } from './codes';
import { AnalysisOptions, Finding, FindingSeverity } from './finding';
import { isAnalyzedNamespace } from '../semantics/analysis-exemptions';
import { flatten, IndexedObject, IndexedPod, IndexedVirtualService, ManifestIndex } from '../semantics/manifest-index';
import { MESH_GATEWAY, stringRecord } from '../semantics/names';

/** What the checks need to know about one DestinationRule subset. */
export interface SubsetInfo {
  readonly rule: IndexedObject;
  readonly index: number;
  readonly name: string;
  readonly labels: Record<string, string>;
}

/**
 * Everything the checks look up across objects, built once so every cross-object check is a map
 * lookup per reference instead of a scan over all objects.
 */
export class AnalysisContext {
  public readonly index: ManifestIndex;
  public readonly findings: Finding[] = [];
  /** DestinationRule subsets by FQDN host, then subset name (first definition wins, as in istiod). */
  public readonly subsetsByHost = new Map<string, Map<string, SubsetInfo>>();
  /** `host|subset` keys some VirtualService route or mirror sends traffic to. */
  public readonly routedSubsets = new Set<string>();
  public readonly knownGateways: Set<string>;
  public readonly knownHosts: Set<string>;
  private readonly ignored: Set<string>;
  private gatewayList?: string;

  constructor(manifests: any[], options: AnalysisOptions = {}) {
    // istioctl drops every object of the system namespaces before any analyzer runs
    this.index = new ManifestIndex([...flatten(manifests)].filter((m) => isAnalyzedNamespace(String(
      (m.kind === 'Namespace' ? m.metadata?.name : m.metadata?.namespace) ?? 'default'))));
    this.knownGateways = new Set(options.knownGateways ?? []);
    this.knownHosts = new Set((options.knownHosts ?? []).map((h) => h.toLowerCase()));
    this.ignored = new Set(options.ignoreCodes ?? []);
    for (const rule of this.index.destinationRules) {
      const host = rule.host;
      let subsets = this.subsetsByHost.get(host);
      if (!subsets) {
        subsets = new Map();
        this.subsetsByHost.set(host, subsets);
      }
      (Array.isArray(rule.spec.subsets) ? rule.spec.subsets : []).forEach((s: any, index: number) => {
        const name = String(s?.name ?? '');
        if (!subsets!.has(name)) {
          subsets!.set(name, { rule, index, name, labels: stringRecord(s?.labels) });
        }
      });
    }
  }

  /** Records a finding unless its code is ignored. */
  public report(code: Code, obj: IndexedObject, path: string | undefined, message: string, fix: string, severity?: FindingSeverity): void {
    if (this.ignored.has(code)) {
      return;
    }
    this.findings.push({
      code,
      severity: severity ?? CODES[code].severity,
      kind: obj.kind,
      namespace: obj.namespace,
      name: obj.name,
      path,
      message,
      fix,
      file: obj.source?.file,
      line: obj.source?.line,
    });
  }

  /** The Gateways among the manifests, for messages. */
  public gatewayNames(): string {
    this.gatewayList = this.gatewayList ?? ([...this.index.gateways.keys(), ...this.index.kubernetesGateways.keys()].sort().join(', ') || 'none');
    return this.gatewayList;
  }

  /** Whether the user declared the host as existing outside the manifests. */
  public isKnownExternalHost(host: string, fqdn: string): boolean {
    return this.knownHosts.has(host.toLowerCase()) || this.knownHosts.has(fqdn);
  }

  /** Pods carrying all labels of every selector, optionally only in one namespace (indexed by label). */
  public podsMatching(namespace: string | undefined, ...selectors: Record<string, string>[]): IndexedPod[] {
    return this.index.podsMatching(namespace, ...selectors);
  }
}

/** Whether the VirtualService applies to sidecars. */
export function boundToMesh(vs: IndexedVirtualService): boolean {
  return vs.gateways.includes(MESH_GATEWAY);
}

/** The http rules of a VirtualService, tolerating malformed specs. */
export function httpRules(vs: IndexedObject): any[] {
  return Array.isArray(vs.spec.http) ? vs.spec.http : [];
}

/** The match entries of a rule (empty for a rule without `match`). */
export function matchesOf(rule: any): any[] {
  return Array.isArray(rule?.match) ? rule.match : [];
}

export { formatLabels, stringRecord } from '../semantics/names';
