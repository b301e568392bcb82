import { isCommitted, readCommittedFolder } from './git-tree';
import { isManifestFile, LocatedObject, objectsOfTree, readOutputObjects, readTree } from './manifest-files';

/** The output a new synthesis is judged against, and where it came from. */
export interface Baseline {
  readonly objects: LocatedObject[];
  /** Which baseline this is, for messages. */
  readonly description: string;
  /** The other files asked for (relative `/` path -> content), when the baseline has them. */
  readonly files: Map<string, string>;
}

/**
 * The last committed output of `dir`: what the GitOps tool syncs. Read from Git at `ref` when `dir`
 * is in a Git work tree and committed there; otherwise the folder on disk (an app run directly,
 * outside Git, or before the first commit). Under `cdk8s synth` the folder on disk is already
 * gone (the CLI deletes it before the app starts), which is why Git comes first.
 *
 * @param requireRef a ref the user named must exist; the default `HEAD` may not yet
 * @param otherFiles files besides manifests to read as text
 */
export function readBaseline(dir: string, ref: string, requireRef: boolean, otherFiles: (file: string) => boolean = () => false): Baseline {
  const wanted = (file: string) => isManifestFile(file) || otherFiles(file);
  const committed = readCommittedFolder(dir, ref, wanted, requireRef);
  if (isCommitted(committed)) {
    return { ...split(committed.files, committed.description), description: `the last committed output, ${committed.description}` };
  }
  const objects = readOutputObjects(dir);
  const files = new Map([...readTree(dir)].filter(([file]) => !isManifestFile(file) && otherFiles(file)));
  const empty = objects.length === 0 ? '; it holds no manifests, so nothing is compared' : '';
  return { objects, files, description: `the folder on disk (${committed.reason})${empty}` };
}

function split(files: Map<string, string>, source: string): { objects: LocatedObject[]; files: Map<string, string> } {
  const manifests = new Map([...files].filter(([file]) => isManifestFile(file)));
  const others = new Map([...files].filter(([file]) => !isManifestFile(file)));
  return { objects: objectsOfTree(manifests, source), files: others };
}
