import { claimConflicts, ClaimConflictKind, GatewayHostClaim, gatewayHostClaims, referencedGatewayClaims } from '../../semantics/gateways';
import { IndexedVirtualService } from '../../semantics/manifest-index';
import { hostsOverlap, MESH_GATEWAY } from '../../semantics/names';
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

/**
 * VirtualServices that share a gateway virtual host (the same pods, port and domain, or the same
 * Gateway outside the manifests) where the outcome depends on their creation order: both have a
 * catch-all (error: one never matches), or routes of both can match one request (warning). The rule
 * is the semantics core's `claimConflicts`, the one the constructs check at synth time.
 */
function checkGatewayHosts(ctx: AnalysisContext): void {
  const claims = [...gatewayHostClaims(ctx.index), ...referencedGatewayClaims(ctx.index)];
  const reported = new Set<string>();
  for (const conflict of claimConflicts(claims)) {
    if (conflict.kind !== ClaimConflictKind.BOTH_CATCH_ALL && conflict.kind !== ClaimConflictKind.OVERLAPPING_ROUTES) {
      continue;
    }
    const [first, later] = conflict.first.virtualService.order <= conflict.second.virtualService.order
      ? [conflict.first, conflict.second] : [conflict.second, conflict.first];
    const id = `${first.virtualService.order}|${later.virtualService.order}|${later.domain}`;
    if (!reported.has(id)) {
      reported.add(id);
      report(ctx, later, first, conflict.kind === ClaimConflictKind.BOTH_CATCH_ALL);
    }
  }
}

function report(ctx: AnalysisContext, claim: GatewayHostClaim, rival: GatewayHostClaim, bothCatchAll: boolean): void {
  const vs = claim.virtualService;
  const domain = claim.domain;
  const other = `${rival.virtualService.namespace}/${rival.virtualService.name}`;
  const i = Math.max(0, vs.hosts.findIndex((h) => hostsOverlap(h, domain)));
  const gateways = [...new Set([...rival.gateways, ...claim.gateways])];
  const where = gateways.length === 1 ? `gateway '${gateways[0]}'` : `the pods shared by gateways ${gateways.map((g) => `'${g}'`).join(', ')}`;
  // Gateways move every catch-all to the end, so with two catch-alls the second one is dead.
  ctx.report('ISTT006', vs, `spec.hosts[${i}]`, `host '${domain}' on ${where} is also routed by VirtualService '${other}': the gateway merges both route lists in creation order${bothCatchAll ? ', and as both have a catch-all rule one of them never matches' : ', and routes of both can match the same request, so which one takes it depends on creation time'}`,
    `route '${domain}' on these gateway pods from one VirtualService, or give each VirtualService its own paths`, bothCatchAll ? FindingSeverity.ERROR : undefined);
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
