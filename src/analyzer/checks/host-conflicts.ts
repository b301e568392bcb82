import { claimConflicts, ClaimConflictKind, GatewayHostClaim, gatewayHostClaims, referencedGatewayClaims } from '../../semantics/gateways';
import { IndexedVirtualService } from '../../semantics/manifest-index';
import { exportScopes, hostsOverlap, MESH_GATEWAY } from '../../semantics/names';
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

/**
 * IST0109 as istiod's `ConflictingMeshGatewayHostsAnalyzer` (`analyzers/virtualservice/
 * conflictingmeshgatewayhosts.go`) decides it: mesh VirtualServices are grouped by export scope
 * (`*`, or each namespace of `exportTo`) and FQDN host; a group of two or more conflicts, and a
 * namespace-scoped host also conflicts with every VirtualService exported everywhere whose host
 * overlaps it (`*.productpage.d` exported to `.` against `*.d` exported to `*`). Every
 * VirtualService of a conflict is reported, once.
 */
function checkMeshHosts(ctx: AnalysisContext): void {
  const groups = new Map<string, MeshHostGroup>();
  for (const vs of ctx.index.virtualServicesForGateway(MESH_GATEWAY)) {
    for (const scope of exportScopes(vs.exportTo, vs.namespace)) {
      vs.hosts.forEach((host, i) => {
        const key = `${scope}/${host}`;
        const group = groups.get(key) ?? { scope, host, members: [] };
        // a VirtualService's hosts are added together, so a repeated host can only follow itself
        if (group.members[group.members.length - 1]?.vs !== vs) {
          group.members.push({ vs, hostIndex: i });
        }
        groups.set(key, group);
      });
    }
  }
  // the exported-everywhere groups a scoped host is compared with: exact ones by map lookup,
  // wildcard ones from a short list, and for a scoped wildcard every exported-everywhere group
  const exportedToAll = [...groups.values()].filter((g) => g.scope === '*');
  const wildcardsToAll = exportedToAll.filter((g) => g.host.startsWith('*'));
  const reported = new Set<IndexedVirtualService>();
  for (const group of groups.values()) {
    const members = [...group.members];
    if (group.scope !== '*') {
      const rivals = group.host.startsWith('*')
        ? exportedToAll
        : [groups.get(`*/${group.host}`), ...wildcardsToAll].filter((g): g is MeshHostGroup => g !== undefined);
      const seen = new Set(members.map((m) => m.vs));
      for (const rival of rivals.filter((g) => hostsOverlap(g.host, group.host))) {
        for (const m of rival.members.filter((x) => !seen.has(x.vs))) {
          seen.add(m.vs);
          members.push(m);
        }
      }
    }
    if (members.length < 2) {
      continue;
    }
    const names = members.map((m) => `${m.vs.namespace}/${m.vs.name}`).sort();
    for (const member of members.filter((m) => !reported.has(m.vs)).sort((a, b) => a.vs.order - b.vs.order)) {
      reported.add(member.vs);
      const self = `${member.vs.namespace}/${member.vs.name}`;
      const others = nameList(names.slice(0, MAX_NAMED + 1).filter((n) => n !== self), names.length - 1);
      const scope = group.scope === '*' ? 'every namespace' : `namespace '${group.scope}'`;
      ctx.report('IST0109', member.vs, `spec.hosts[${member.hostIndex}]`,
        `host '${member.vs.hosts[member.hostIndex]}' is also routed in the mesh by VirtualService ${others} for ${scope} (conflict on '${group.host}'): sidecars keep only the oldest VirtualService for a host and ignore the others`,
        `merge the routes for '${group.host}' into one VirtualService, narrow exportTo so the scopes do not meet, or bind all but one to gateways only`);
    }
  }
}

/** VirtualServices named in one message; the rest are counted, so messages stay short. */
const MAX_NAMED = 5;

function nameList(names: string[], total: number): string {
  const shown = names.slice(0, MAX_NAMED).map((n) => `'${n}'`).join(', ');
  return total > MAX_NAMED ? `${shown} and ${total - MAX_NAMED} more` : shown;
}

interface MeshHostGroup {
  /** `*` or one namespace the VirtualServices are exported to. */
  readonly scope: string;
  readonly host: string;
  readonly members: { vs: IndexedVirtualService; hostIndex: number }[];
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
