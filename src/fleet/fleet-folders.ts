import * as fs from 'fs';
import * as path from 'path';
import { clusterFolder } from './delivery-context';
import { FLEET_PLAN } from './fleet-plan';

/** Paths that make up one cluster's configuration, and which cluster it is (none for plain output). */
export interface ClusterPaths {
  readonly cluster?: string;
  readonly paths: string[];
}

/**
 * Splits paths given to a command into what runs in one cluster: the folder of a fleet's output
 * (it holds FLEET.md) is one unit per `clusters/<name>/` folder, since every cluster runs its own copy
 * of the same objects; every other path belongs to a single unit, as before.
 */
export function clusterPaths(paths: string[]): ClusterPaths[] {
  const plain: string[] = [];
  const clusters: ClusterPaths[] = [];
  for (const p of paths) {
    const root = path.join(p, path.dirname(clusterFolder('x')));
    if (fs.existsSync(path.join(p, FLEET_PLAN)) && fs.existsSync(root)) {
      for (const name of fs.readdirSync(root).sort()) {
        clusters.push({ cluster: name, paths: [path.join(root, name)] });
      }
    } else {
      plain.push(p);
    }
  }
  return [...(plain.length > 0 ? [{ paths: plain }] : []), ...clusters];
}
