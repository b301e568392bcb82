import { isCommitted, readCommittedFolder } from './git-tree';
import { isManifestFile, LocatedObject, objectsOfTree, readOutputObjects } from './manifest-files';

/** The output a new synthesis is judged against, and where it came from. */
export interface Baseline {
  readonly objects: LocatedObject[];
  /** Which baseline this is, for messages. */
  readonly description: string;
}

/**
 * The last committed output of `dir`: what the GitOps tool syncs. Read from Git at `ref` when `dir`
 * is in a Git work tree and committed there; otherwise the folder on disk (an app run directly,
 * outside Git, or before the first commit). Under `cdk8s synth` the folder on disk is already
 * gone (the CLI deletes it before the app starts), which is why Git comes first.
 *
 * @param requireRef a ref the user named must exist; the default `HEAD` may not yet
 */
export function readBaseline(dir: string, ref: string, requireRef: boolean): Baseline {
  const committed = readCommittedFolder(dir, ref, isManifestFile, requireRef);
  if (isCommitted(committed)) {
    return { objects: objectsOfTree(committed.files, committed.description), description: `the last committed output, ${committed.description}` };
  }
  const objects = readOutputObjects(dir);
  const empty = objects.length === 0 ? '; it holds no manifests, so nothing is compared' : '';
  return { objects, description: `the folder on disk (${committed.reason})${empty}` };
}
