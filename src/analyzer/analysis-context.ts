import { Code, CODES } from './codes';
import { AnalysisOptions, Finding, FindingSeverity } from './finding';
import { IndexedObject, IndexedPod, IndexedVirtualService, labelsSubsetOf, ManifestIndex, MESH_GATEWAY, resolveShortname } from '../simulator/manifest-index';

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
  private readonly podsByLabel = new Map<string, IndexedPod[]>();
  private readonly wildcardServiceEntryHosts: string[];
  private readonly ignored: Set<string>;
  private gatewayList?: string;

  constructor(manifests: any[], options: AnalysisOptions = {}) {
    this.index = new ManifestIndex(manifests);
    this.knownGateways = new Set(options.knownGateways ?? []);
    this.knownHosts = new Set((options.knownHosts ?? []).map((h) => h.toLowerCase()));
    this.ignored = new Set(options.ignoreCodes ?? []);
    this.wildcardServiceEntryHosts = [...this.index.serviceEntryHosts].filter((h) => h.startsWith('*'));
    for (const rule of this.index.destinationRules) {
      const host = resolveShortname(String(rule.spec.host ?? ''), rule.namespace);
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
    for (const pod of this.index.pods) {
      for (const [k, v] of Object.entries(pod.labels)) {
        const key = `${k}=${v}`;
        const list = this.podsByLabel.get(key) ?? [];
        list.push(pod);
        this.podsByLabel.set(key, list);
      }
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
    });
  }

  /** The Gateways among the manifests, for messages. */
  public gatewayNames(): string {
    this.gatewayList = this.gatewayList ?? ([...this.index.gateways.keys()].sort().join(', ') || 'none');
    return this.gatewayList;
  }

  /** Whether `fqdn` is a Service or ServiceEntry host among the manifests. */
  public isRegistryHost(fqdn: string): boolean {
    if (this.index.services.has(fqdn) || this.index.serviceEntryHosts.has(fqdn)) {
      return true;
    }
    return this.wildcardServiceEntryHosts.some((w) => w === '*' || (fqdn.endsWith(w.slice(1)) && fqdn.length > w.length - 1));
  }

  /** Whether the user declared the host as existing outside the manifests. */
  public isKnownExternalHost(host: string, fqdn: string): boolean {
    return this.knownHosts.has(host.toLowerCase()) || this.knownHosts.has(fqdn);
  }

  /**
   * Pods carrying all labels of every selector, optionally only in one namespace. Starts from the
   * rarest label so the cost is bounded by the smallest matching bucket, not by all pods.
   */
  public podsMatching(namespace: string | undefined, ...selectors: Record<string, string>[]): IndexedPod[] {
    let candidates: IndexedPod[] = this.index.pods;
    for (const selector of selectors) {
      for (const [k, v] of Object.entries(selector)) {
        const bucket = this.podsByLabel.get(`${k}=${v}`) ?? [];
        if (bucket.length < candidates.length) {
          candidates = bucket;
        }
      }
    }
    // each selector separately: two selectors may disagree on a key, and then nothing matches
    return candidates.filter((p) => (namespace === undefined || p.namespace === namespace) && selectors.every((s) => labelsSubsetOf(s, p.labels)));
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

export function stringRecord(value: any): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out[k] = String(v);
    }
  }
  return out;
}

/** `{a: 1, b: 2}` as `a=1, b=2` for messages. */
export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
