import { IndexedObject, ManifestIndex } from './manifest-index';

/**
 * Which Services and ServiceEntries a config in a namespace can name, as istiod's analyzers decide it
 * (`pkg/config/analysis/analyzers/util/service_lookup.go` `InitServiceEntryHostMap`,
 * `GetDestinationHost`): every registry host is filed under the namespaces it is exported to (`*` for
 * all), ServiceEntries by `spec.exportTo`, Services by the `networking.istio.io/exportTo` annotation.
 * A lookup tries the host as exported to all, then to the config's own `exportTo` namespaces (its own
 * namespace when it has none), then every wildcard host visible from the config's namespace.
 */

const ALL = '*';
const LOCAL = '.';

/** The host as istiod's analyzers expand it (`util/hosts.go` `ConvertHostToFQDN`): dotless, non-wildcard names get the namespace. */
export function analyzerFqdn(namespace: string, host: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${namespace}.svc.cluster.local`;
}

const scopes = new WeakMap<ManifestIndex, RegistryScopes>();

/** Registry hosts by scope, built once per index. */
export class RegistryScopes {
  /** The scopes of an index (built once per index). */
  public static of(index: ManifestIndex): RegistryScopes {
    let s = scopes.get(index);
    if (!s) {
      s = new RegistryScopes(index);
      scopes.set(index, s);
    }
    return s;
  }

  private readonly byScopedHost = new Map<string, IndexedObject>();
  private readonly wildcards: { scope: string; suffix: string; owner: IndexedObject }[] = [];

  private constructor(index: ManifestIndex) {
    for (const se of index.serviceEntries) {
      for (const host of se.hosts) {
        const exportTo = se.exportTo ?? [ALL];
        for (const e of exportTo) {
          this.add(e === LOCAL ? se.namespace : e, host, se);
          if (e === ALL) {
            break;
          }
        }
      }
    }
    for (const svc of index.services.values()) {
      for (const e of svc.exportTo ?? [ALL]) {
        this.add(e === LOCAL ? svc.namespace : e, svc.fqdn, svc);
      }
    }
  }

  private add(scope: string, fqdn: string, owner: IndexedObject): void {
    const key = `${scope}/${fqdn}`;
    if (this.byScopedHost.has(key)) {
      return;
    }
    this.byScopedHost.set(key, owner);
    if (fqdn.startsWith('*')) {
      this.wildcards.push({ scope, suffix: fqdn.slice(1), owner });
    }
  }

  /**
   * The Service or ServiceEntry a config in `namespace` with `exportTo` reaches as `host`, if any
   * (`GetDestinationHost`). Wildcard registry hosts match by suffix, so a ServiceEntry for `*`
   * exported to a namespace makes every host known there.
   */
  public lookup(namespace: string, exportTo: readonly string[] | undefined, host: string): IndexedObject | undefined {
    const raw = host.toLowerCase();
    const fqdn = analyzerFqdn(namespace, raw);
    const scoped = (scope: string) => this.byScopedHost.get(`${scope}/${fqdn}`);
    const found = scoped(ALL) ?? (exportTo && exportTo.length > 0
      ? exportTo.map((e) => scoped(e === LOCAL ? namespace : e)).find((o) => o !== undefined)
      : scoped(namespace));
    if (found) {
      return found;
    }
    const name = raw.startsWith('*') ? raw.slice(1) : raw;
    return this.wildcards.find((w) => (w.scope === ALL || w.scope === namespace) && name.endsWith(w.suffix))?.owner;
  }
}
