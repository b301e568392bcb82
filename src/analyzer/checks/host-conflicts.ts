import { gatewayHostClaims } from '../../semantics/gateways';
import { IndexedVirtualService } from '../../semantics/manifest-index';
import { hostsOverlap, MESH_GATEWAY } from '../../semantics/names';
import { httpRoutes, ANY_MESH_CALLER } from '../../semantics/routes';
import { AnalysisContext } from '../analysis-context';
import { FindingSeverity } from '../finding';

/**
 * IST0109 (two mesh VirtualServices for one host: sidecars keep only the oldest) and ISTT006 (two
 * VirtualServices whose routes istiod merges into one gateway virtual host). Gateway claims come
 * from the semantics core's route tables (per gateway workload, port and domain), so Gateways that
 * select the same pods count as one gateway. Both are one pass over maps, linear in the claims.
 */
export function checkHostConflicts(ctx: AnalysisContext): void {
  checkMeshHosts(ctx);
  checkGatewayHosts(ctx);
}

function checkMeshHosts(ctx: AnalysisContext): void {
  // Per host, the first claimant of each distinct exportTo scope: a handful at most, so comparing
  // against them keeps the check linear even when many VirtualServices share a host.
  const claims = new Map<string, Map<string, IndexedVirtualService>>();
  for (const vs of ctx.index.virtualServicesForGateway(MESH_GATEWAY)) {
    const scopeKey = [...(exportScope(vs) ?? ['*'])].sort().join(',');
    vs.hosts.forEach((host, i) => {
      const owners = claims.get(host) ?? new Map<string, IndexedVirtualService>();
      const rival = [...owners.values()].find((other) => other !== vs && exportsOverlap(other, vs));
      if (rival) {
        ctx.report('IST0109', vs, `spec.hosts[${i}]`, `host '${host}' is also routed in the mesh by VirtualService '${rival.namespace}/${rival.name}': sidecars keep only the oldest VirtualService for a host and ignore the other`,
          `merge the routes into one VirtualService for '${host}', or bind one of them to gateways only`);
      }
      if (!owners.has(scopeKey)) {
        owners.set(scopeKey, vs);
      }
      claims.set(host, owners);
    });
  }
}

/** A VirtualService's part of one merged gateway virtual host. */
interface Claim {
  readonly vs: IndexedVirtualService;
  readonly gateways: string[];
  readonly catchAll: boolean;
}

function checkGatewayHosts(ctx: AnalysisContext): void {
  const groups = new Map<string, { domain: string; claims: Claim[] }>();
  const add = (key: string, domain: string, claim: Claim) => {
    const g = groups.get(key) ?? { domain, claims: [] };
    if (!g.claims.some((c) => c.vs === claim.vs)) {
      g.claims.push(claim);
    }
    groups.set(key, g);
  };
  for (const c of gatewayHostClaims(ctx.index)) {
    add(`${c.workload.key}|${c.port}|${c.domain}`, c.domain, { vs: c.virtualService, gateways: c.gateways, catchAll: c.catchAll });
  }
  // Gateways outside the manifests: their servers are unknown, so VirtualServices meet on equal hosts
  for (const vs of ctx.index.virtualServices) {
    for (const gw of vs.gateways) {
      if (gw === MESH_GATEWAY || ctx.index.gateways.has(gw)) {
        continue;
      }
      const catchAll = httpRoutes(vs, ANY_MESH_CALLER).some((r) => r.catchAll && !r.callerDependent);
      new Set(vs.hosts).forEach((host) => add(`external:${gw}|${host}`, host, { vs, gateways: [gw], catchAll }));
    }
  }
  for (const { domain, claims } of groups.values()) {
    const ordered = [...claims].sort((a, b) => a.vs.order - b.vs.order);
    const first = ordered[0];
    for (const claim of ordered.slice(1)) {
      report(ctx, claim, first, domain);
    }
  }
}

function report(ctx: AnalysisContext, claim: Claim, rival: Claim, domain: string): void {
  const vs = claim.vs;
  const other = `${rival.vs.namespace}/${rival.vs.name}`;
  const i = Math.max(0, vs.hosts.findIndex((h) => hostsOverlap(h, domain)));
  const gateways = [...new Set([...rival.gateways, ...claim.gateways])];
  const where = gateways.length === 1 ? `gateway '${gateways[0]}'` : `the pods shared by gateways ${gateways.map((g) => `'${g}'`).join(', ')}`;
  // Gateways move every catch-all to the end, so with two catch-alls the second one is dead.
  const bothCatchAll = claim.catchAll && rival.catchAll;
  ctx.report('ISTT006', vs, `spec.hosts[${i}]`, `host '${domain}' on ${where} is also routed by VirtualService '${other}': the gateway merges both route lists in creation order${bothCatchAll ? ', and as both have a catch-all rule one of them never matches' : ', so precedence between them depends on creation time'}`,
    `route '${domain}' on these gateway pods from one VirtualService`, bothCatchAll ? FindingSeverity.ERROR : undefined);
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
