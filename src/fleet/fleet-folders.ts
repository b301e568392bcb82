import * as fs from 'fs';
import * as path from 'path';
import { FLEET_PLAN } from './fleet-plan';
import { manifestFiles } from '../manifests/manifest-files';

/** Manifest files that make up one cluster's configuration, and which cluster it is (none for plain output). */
export interface ClusterFiles {
  readonly cluster?: string;
  readonly files: string[];
}

/**
 * Splits the manifest files of paths given to a command into what runs in one cluster: below a
 * fleet's output (a folder holding FLEET.md), each `clusters/<name>/` folder is a unit of its own,
 * since every cluster runs its own copy of the same objects; all other files form one unit, as
 * without fleets. Each file's folders are looked up once.
 */
export function clusterFiles(paths: string[]): ClusterFiles[] {
  const isFleetRoot = new Map<string, boolean>();
  const fleetRoot = (dir: string) => {
    let known = isFleetRoot.get(dir);
    if (known === undefined) {
      known = fs.existsSync(path.join(dir, FLEET_PLAN));
      isFleetRoot.set(dir, known);
    }
    return known;
  };
  const plain: string[] = [];
  const clusters = new Map<string, string[]>();
  for (const file of manifestFiles(paths)) {
    const parts = path.resolve(file).split(path.sep);
    const at = parts.lastIndexOf('clusters', parts.length - 3);
    const root = at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : undefined;
    if (root !== undefined && fleetRoot(root)) {
      const cluster = `${path.relative(process.cwd(), root) || '.'}: ${parts[at + 1]}`;
      clusters.set(cluster, [...clusters.get(cluster) ?? [], file]);
    } else {
      plain.push(file);
    }
  }
  return [
    ...(plain.length > 0 || clusters.size === 0 ? [{ files: plain }] : []),
    ...[...clusters].map(([cluster, files]) => ({ cluster, files })),
  ];
}
