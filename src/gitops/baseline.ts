import { isCommitted, readCommittedFolder } from './git-tree';
import { isManifestFile, LocatedObject, objectsOfTree, readTree } from './manifest-files';

/** The output a new synthesis is judged against, and where it came from. */
export interface Baseline {
  /** Its manifest files, relative `/` path -> text, as read (parsed only when asked). */
  readonly manifests: Map<string, string>;
  /** Which baseline this is, for messages. */
  readonly description: string;
  /** The other files asked for (relative `/` path -> content), when the baseline has them. */
  readonly files: Map<string, string>;
  /** Where the manifests were read, for parse errors. */
  readonly source: string;
  /** Every object of its manifests: parses all of them (once). */
  readonly objects: LocatedObject[];
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
    return baseline(committed.files, committed.description, `the last committed output, ${committed.description}`);
  }
  const tree = new Map([...readTree(dir)].filter(([file]) => wanted(file)));
  const none = [...tree.keys()].some(isManifestFile) ? '' : '; it holds no manifests, so nothing is compared';
  return baseline(tree, dir, `the folder on disk (${committed.reason})${none}`);
}

function baseline(files: Map<string, string>, source: string, description: string): Baseline {
  const manifests = new Map([...files].filter(([file]) => isManifestFile(file)));
  const others = new Map([...files].filter(([file]) => !isManifestFile(file)));
  let objects: LocatedObject[] | undefined;
  return {
    manifests,
    source,
    files: others,
    description,
    get objects() {
      objects ??= objectsOfTree(manifests, source);
      return objects;
    },
  };
}

/** An object of a new output, with the text written for it. */
export interface WrittenObject extends LocatedObject {
  readonly content: string;
}

/**
 * The baseline's objects when compared with a new output, parsing only the files whose text
 * changed: a file written with the same bytes holds the same objects, so those are taken from the
 * new output instead of being read back. `unchanged` says every manifest is the same on both sides
 * (nothing to judge). In the usual synthesis most files are unchanged, so this costs a comparison
 * of strings per file instead of a YAML parse.
 */
export function baselineObjects(
  base: Baseline, head: WrittenObject[], headFiles: Map<string, string>,
): { objects: LocatedObject[]; unchanged: boolean } {
  const headByFile = new Map<string, WrittenObject[]>();
  for (const o of head) {
    const list = headByFile.get(o.file);
    if (list) {
      list.push(o);
    } else {
      headByFile.set(o.file, [o]);
    }
  }
  const changed = new Map<string, string>();
  const objects: LocatedObject[] = [];
  for (const [file, text] of base.manifests) {
    const same = headByFile.get(file);
    if (same && same.every((o) => o.content === text)) {
      same.forEach((o) => objects.push({ file, object: o.object }));
    } else if (headFiles.get(file) !== text) {
      changed.set(file, text);
    }
  }
  if (changed.size > 0) {
    objects.push(...objectsOfTree(changed, base.source));
  }
  const unchanged = changed.size === 0 && [...headByFile.keys()].every((file) => base.manifests.has(file));
  return { objects, unchanged };
}
