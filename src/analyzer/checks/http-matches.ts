import { GatewayTopology } from '../../semantics/gateways';
import { labelsSubsetOf } from '../../semantics/names';
import { AnalysisContext, boundToMesh, formatLabels, httpRules, matchesOf, stringRecord } from '../analysis-context';

/** Header names Envoy never matches as plain headers (§1.5): the Host is `:authority`, the rest are ignored keys. */
const UNSEEN_HEADERS: Record<string, string> = {
  host: "Envoy keeps the Host header as ':authority'",
  uri: 'istiod emits it as a literal header named \'uri\', not the path',
  scheme: 'istiod emits it as a literal header named \'scheme\', not the scheme',
  method: 'istiod emits it as a literal header named \'method\', not the method',
  authority: 'istiod emits it as a literal header named \'authority\', not the Host',
};

const FIELD_FOR: Record<string, string> = { host: 'authority', uri: 'uri', scheme: 'scheme', method: 'method', authority: 'authority' };

/**
 * ISTT005 (a header match on `host` & co. that never matches) and ISTT002 (`sourceLabels` on a rule of
 * a VirtualService bound only to gateways: compared with the gateway pod's labels, so skipped).
 */
export function checkHttpMatches(ctx: AnalysisContext): void {
  for (const vs of ctx.index.virtualServices) {
    const gatewayOnly = !boundToMesh(vs);
    httpRules(vs).forEach((rule, i) => matchesOf(rule).forEach((m, j) => {
      const path = `spec.http[${i}].match[${j}]`;
      for (const field of ['headers', 'withoutHeaders']) {
        for (const [name, value] of Object.entries(m?.[field] ?? {})) {
          const why = UNSEEN_HEADERS[name.toLowerCase()];
          if (!why) {
            continue;
          }
          const effect = field === 'headers' ? 'never matches' : 'always matches (the header is always missing)';
          ctx.report('ISTT005', vs, `${path}.${field}.${name}`, `${field} match on '${name}' (${JSON.stringify(value)}) ${effect}: ${why}`,
            name.toLowerCase() === 'host'
              ? 'route by host with spec.hosts (one VirtualService per host) or use the match field \'authority\' instead of a header'
              : `use the match field '${FIELD_FOR[name.toLowerCase()]}' instead of a header`);
        }
      }
      const labels = stringRecord(m?.sourceLabels);
      if (Object.keys(labels).length === 0) {
        return;
      }
      if (Array.isArray(m.gateways) && m.gateways.length > 0 && !m.gateways.includes('mesh')) {
        ctx.report('ISTT002', vs, `${path}.sourceLabels`, `sourceLabels ${formatLabels(labels)} are ignored: the match also lists gateways (${m.gateways.join(', ')}), and then istiod drops sourceLabels, so the match applies to every caller on those gateways`,
          'put the gateway condition and the sourceLabels condition in separate match entries, and include \'mesh\' in spec.gateways for the sourceLabels one');
        return;
      }
      if (gatewayOnly && !vs.gateways.some((g) => labelsSubsetOf(labels, gatewayLabels(ctx, g)))) {
        ctx.report('ISTT002', vs, `${path}.sourceLabels`, `sourceLabels ${formatLabels(labels)} on a VirtualService bound only to gateways (${vs.gateways.join(', ')}) are compared with the gateway pods' labels, which lack them: the match is skipped and requests fall through to later rules`,
          'add \'mesh\' to spec.gateways so sidecars use the rule, or move the rule to a mesh VirtualService and match gateway traffic on headers or hosts');
      }
    }));
  }
}

/** Labels of the gateway pods: the workload the Gateway selects, else its selector. */
function gatewayLabels(ctx: AnalysisContext, ref: string): Record<string, string> {
  if (!ctx.index.gateways.has(ref)) {
    return {};
  }
  return GatewayTopology.of(ctx.index).workloadsOf(ref)[0].labels;
}
