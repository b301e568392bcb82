import { IndexedVirtualService, MESH_GATEWAY } from '../../simulator/manifest-index';
import { AnalysisContext, httpRules, matchesOf } from '../analysis-context';
import { FindingSeverity } from '../finding';
import { isUnconditional } from './match-cover';

/**
 * IST0109 (two mesh VirtualServices for one host: sidecars keep only the oldest) and ISTT006 (two
 * VirtualServices for one host on one gateway: routes are merged in creation order). One map from
 * `entry|host` to the first claimant, so the check is linear in the number of hosts.
 */
export function checkHostConflicts(ctx: AnalysisContext): void {
  // Per key, the first claimant of each distinct exportTo scope: a handful at most, so comparing
  // against them keeps the check linear even when many VirtualServices share a host.
  const claims = new Map<string, Map<string, IndexedVirtualService>>();
  for (const vs of ctx.index.virtualServices) {
    const scopeKey = [...(exportScope(vs) ?? ['*'])].sort().join(',');
    vs.hosts.forEach((host, i) => {
      for (const entry of new Set(vs.gateways)) {
        const key = `${entry}|${host}`;
        const owners = claims.get(key) ?? new Map<string, IndexedVirtualService>();
        const rival = [...owners.values()].find((other) => exportsOverlap(other, vs));
        if (rival) {
          report(ctx, vs, rival, entry, host, i);
        }
        if (!owners.has(scopeKey)) {
          owners.set(scopeKey, vs);
        }
        claims.set(key, owners);
      }
    });
  }
}

function report(ctx: AnalysisContext, vs: IndexedVirtualService, rival: IndexedVirtualService, entry: string, host: string, i: number): void {
  const other = `${rival.namespace}/${rival.name}`;
  if (entry === MESH_GATEWAY) {
    ctx.report('IST0109', vs, `spec.hosts[${i}]`, `host '${host}' is also routed in the mesh by VirtualService '${other}': sidecars keep only the oldest VirtualService for a host and ignore the other`,
      `merge the routes into one VirtualService for '${host}', or bind one of them to gateways only`);
    return;
  }
  // Gateways move every catch-all to the end, so with two catch-alls the second one is dead.
  const bothCatchAll = hasCatchAll(vs) && hasCatchAll(rival);
  ctx.report('ISTT006', vs, `spec.hosts[${i}]`, `host '${host}' on gateway '${entry}' is also routed by VirtualService '${other}': the gateway merges both route lists in creation order${bothCatchAll ? ', and as both have a catch-all rule one of them never matches' : ', so precedence between them depends on creation time'}`,
    `route '${host}' on '${entry}' from one VirtualService`, bothCatchAll ? FindingSeverity.ERROR : undefined);
}

function hasCatchAll(vs: IndexedVirtualService): boolean {
  return httpRules(vs).some((rule) => matchesOf(rule).length === 0 || matchesOf(rule).some(isUnconditional));
}

/** Whether some namespace sees both VirtualServices (`exportTo`; default: every namespace). */
function exportsOverlap(a: IndexedVirtualService, b: IndexedVirtualService): boolean {
  const sa = exportScope(a);
  const sb = exportScope(b);
  if (!sa || !sb) {
    return true;
  }
  return [...sa].some((ns) => sb.has(ns));
}

/** Namespaces that see the VirtualService; undefined for all of them. */
function exportScope(vs: IndexedVirtualService): Set<string> | undefined {
  const list: any[] = Array.isArray(vs.spec.exportTo) ? vs.spec.exportTo : [];
  if (list.length === 0 || list.includes('*')) {
    return undefined;
  }
  return new Set(list.map((e) => (e === '.' ? vs.namespace : String(e))));
}
