import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { foreignEntries, listEntries, lstatIfPresent, OWNED_FILES, readOwnedFiles } from './owned-files';

/** What an output folder holds before a synthesis, once it has been found safe to replace. */
export interface OutputFolderState {
  /** The absolute path as given (links in its parents are kept: the folder is renamed there). */
  readonly dir: string;
  /** Whether the folder exists (an empty folder counts as existing). */
  readonly exists: boolean;
  /** The files GitOpsApp wrote there last time, from its marker; empty for a new or empty folder. */
  readonly owned: Set<string>;
}

/**
 * Refuses output folders that must never be replaced: the filesystem root, the working directory
 * or one of its ancestors, the home directory or one of its ancestors. Reads only; the links in the
 * path are resolved first, so `..`, a symlinked parent or an absolute path change nothing.
 */
export function refuseDangerousLocation(dir: string): void {
  const real = realPathOfMaybeMissing(dir);
  const why = (reason: string) => new Error(`refusing to write GitOps output to '${dir}': ${reason}; set outdir to a folder of its own, such as 'dist' or 'deploy'`);
  if (real === path.parse(real).root) {
    throw why('it is the filesystem root');
  }
  const cwd = fs.realpathSync(process.cwd());
  if (real === cwd) {
    throw why('it is the working directory, which it would replace');
  }
  if (isInside(cwd, real)) {
    throw why(`it is an ancestor of the working directory '${cwd}', which it would replace`);
  }
  const home = realPathOfMaybeMissing(os.homedir());
  if (real === home) {
    throw why('it is the home directory');
  }
  if (isInside(home, real)) {
    throw why(`it is an ancestor of the home directory '${home}'`);
  }
}

/**
 * Checks that `dir` may be replaced and says what it holds. Refuses a symbolic link (it is never
 * replaced by a real folder; point outdir at the target), anything that is not a folder, a folder
 * holding `.git`, and a folder holding anything GitOpsApp did not write (every file must be listed
 * in its marker). Reads only.
 */
export function inspectOutputFolder(dir: string): OutputFolderState {
  const stat = lstatIfPresent(dir);
  if (!stat) {
    return { dir, exists: false, owned: new Set() };
  }
  if (stat.isSymbolicLink()) {
    throw new Error(`refusing to write GitOps output to '${dir}': it is a symbolic link to '${fs.readlinkSync(dir)}', which would have to be replaced by a real folder; set outdir to the folder the link points to`);
  }
  if (!stat.isDirectory()) {
    throw new Error(`refusing to write GitOps output to '${dir}': it is a file, not a folder; move it away or choose another outdir`);
  }
  const entries = listEntries(dir);
  if ([...entries.files, ...entries.folders, ...entries.others].includes('.git')) {
    throw new Error(`refusing to write GitOps output to '${dir}': it holds '.git', so it is a Git work tree and not an output folder; set outdir to a folder inside it, such as 'dist'`);
  }
  const owned = readOwnedFiles(dir);
  const foreign = foreignEntries(dir, owned, entries);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((f) => `'${f}'`).join(', ');
    const more = foreign.length > 5 ? ` and ${foreign.length - 5} more` : '';
    const whose = owned
      ? `that GitOpsApp did not write (they are not listed in its ${OWNED_FILES})`
      : `and no ${OWNED_FILES}, so GitOpsApp did not write it`;
    throw new Error(`refusing to write GitOps output to '${dir}': it holds ${shown}${more} ${whose}; GitOpsApp replaces only its own output, so move those away or choose an empty or new outdir`);
  }
  return { dir, exists: true, owned: owned ?? new Set() };
}

/** The real path of `p`, resolving the links of the part that exists. */
export function realPathOfMaybeMissing(p: string): string {
  const absolute = path.resolve(p);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...missing.reverse());
    } catch (e: any) {
      const parent = path.dirname(existing);
      if (e.code !== 'ENOENT' || parent === existing) {
        throw e;
      }
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** Whether `inner` is strictly below `outer`. */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}
