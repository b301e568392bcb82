import { conflictingGatewayServers } from '../../semantics/gateway-conflicts';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0145: a Gateway server declares a host (with the same `bind`) that another Gateway selecting the
 * same workload declares on the same port; istiod serves only one of them. Reported on every Gateway
 * of the conflict, once per server (`pkg/config/analysis/analyzers/gateway/conflictinggateway.go`).
 */
export function checkConflictingGateways(ctx: AnalysisContext): void {
  const seen = new Set<string>();
  for (const c of conflictingGatewayServers(ctx.index)) {
    const selector = c.selector || 'none (every gateway workload)';
    const message = `port ${c.port} hosts ${c.hosts.join(', ')} are also declared by Gateway ${c.conflictsWith.join(', ')} on the same workload (selector ${selector}) and port: istiod merges both onto one listener, so which server and which Gateway's VirtualServices answer depends on creation order (a repeated TLS host is dropped)`;
    // istioctl reports a message once per object and text: identical servers are one finding
    const key = `${c.gateway.namespace}/${c.gateway.name}|${message}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    ctx.report('IST0145', c.gateway, `spec.servers[${c.serverIndex}]`, message,
      'serve each host on a port from one Gateway per workload: merge the servers into one Gateway, or give the Gateways different selectors or ports');
  }
}
