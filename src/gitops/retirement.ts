import { Baseline, baselineObjects } from './baseline';
import { ObjectFile } from './object-files';
import { diffTraffic } from './traffic-diff';

/**
 * Why applying `head` after the baseline is unsafe (`diffTraffic`'s problems), at the cost of what
 * changed: unchanged files are not parsed again, and an output whose manifests are all unchanged, or
 * a baseline without objects (every route is new, nothing is retired), needs no traffic plans at all.
 */
export function retirementProblems(base: Baseline, head: ObjectFile[], headFiles: Map<string, string>): string[] {
  const { objects, unchanged } = baselineObjects(base, head, headFiles);
  if (unchanged || objects.length === 0) {
    return [];
  }
  return diffTraffic(objects, head).problems;
}
