import { subsetBypasses } from '../../semantics/subset-bypass';
import { AnalysisContext } from '../analysis-context';

/**
 * IST0140: a route of a VirtualService with `gateways` sends requests past the subset split another
 * VirtualService defines for the same host (`subsetBypasses`;
 * `pkg/config/analysis/analyzers/virtualservice/destinationhosts.go` `analyzeSubset`). One finding per
 * pair of VirtualServices, as istioctl dedupes identical messages.
 */
export function checkIngressSubsets(ctx: AnalysisContext): void {
  for (const { vs, path, host, splitter } of subsetBypasses(ctx.index)) {
    const other = `${splitter.namespace}/${splitter.name}`;
    ctx.report('IST0140', vs, path,
      `destination '${host}' has no subset, so the subsets VirtualService ${other} routes '${host}' to have no effect on requests this route sends (the gateway goes straight to the host's endpoints)`,
      `route to one of the subsets ${other} uses, or move its subset split into this VirtualService`);
  }
}
