import { Chart, Testing } from 'cdk8s';
import { RouteResult, RouteSimulator, SimulatedRequest } from '../src';

/**
 * Where a request ends up, in a form tests can compare in one `toEqual`: the status and the
 * percentage each subset (or `*` for the whole service) receives, plus the path after rewrite.
 */
export interface RouteSummary {
  readonly status: number;
  readonly to: Record<string, number>;
  readonly path?: string;
}

export function summarize(result: RouteResult): RouteSummary {
  const to: Record<string, number> = {};
  for (const d of result.destinations) {
    to[d.subset ?? '*'] = (to[d.subset ?? '*'] ?? 0) + d.percentage;
  }
  return { status: result.statusCode, to, path: result.path };
}

export function route(chart: Chart, request: SimulatedRequest): RouteSummary {
  return summarize(new RouteSimulator(Testing.synth(chart)).route(request));
}

export function manifestsOf(chart: Chart, kind: string): any[] {
  return Testing.synth(chart).filter((o: any) => o.kind === kind);
}
