import * as fs from 'fs';
import * as path from 'path';
import { OutputFolderState } from './output-folder';
import { foreignEntries, lstatIfPresent, OWNED_FILES, ownedFilesText, readOwnedFiles, removeOwned } from './owned-files';

/**
 * The two folders GitOpsApp uses beside the output folder `<dir>`, on the same filesystem so that
 * renames between them are atomic: `.<dir>.gitops-next` (the new output while it is written) and
 * `.<dir>.gitops-previous` (the old output between the two renames of the swap).
 */
export function stagingFolders(dir: string): { next: string; previous: string } {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  return { next: path.join(parent, `.${base}.gitops-next`), previous: path.join(parent, `.${base}.gitops-previous`) };
}

/**
 * Replaces the output folder with `files` (relative `/` paths -> content), all or nothing:
 *
 * 1. the new tree is written into `.<dir>.gitops-next`, its marker first;
 * 2. `<dir>` is renamed to `.<dir>.gitops-previous`, and `.<dir>.gitops-next` to `<dir>`;
 * 3. the files of the old output are removed from `.<dir>.gitops-previous`.
 *
 * Until step 2 `<dir>` is untouched; after it `<dir>` is the complete new output. Between the two
 * renames `<dir>` does not exist for an instant: if the process dies exactly there,
 * `recoverInterruptedWrite` (the first thing every synthesis does) renames the old output back. Any
 * error undoes what was done, so `<dir>` is left as it was.
 */
export function replaceOutput(state: OutputFolderState, files: Map<string, string>): void {
  const { next, previous } = stagingFolders(state.dir);
  const names = [...files.keys()].sort();
  fs.mkdirSync(path.dirname(state.dir), { recursive: true });
  fs.mkdirSync(next);
  const written = new Set(names);
  try {
    fs.writeFileSync(path.join(next, OWNED_FILES), ownedFilesText(names));
    const folders = new Set<string>();
    for (const name of names) {
      const folder = path.dirname(name);
      if (folder !== '.' && !folders.has(folder)) {
        fs.mkdirSync(path.join(next, folder), { recursive: true });
        folders.add(folder);
      }
      fs.writeFileSync(path.join(next, name), files.get(name)!);
    }
  } catch (e) {
    removeOwned(next, written);
    throw e;
  }
  if (!state.exists) {
    renameOrUndo(next, state.dir, () => removeOwned(next, written));
    return;
  }
  renameOrUndo(state.dir, previous, () => removeOwned(next, written));
  renameOrUndo(next, state.dir, () => {
    fs.renameSync(previous, state.dir);
    removeOwned(next, written);
  });
  removeOwned(previous, state.owned);
}

function renameOrUndo(from: string, to: string, undo: () => void): void {
  try {
    fs.renameSync(from, to);
  } catch (e: any) {
    undo();
    throw new Error(`cannot move '${from}' to '${to}' (${e.code ?? e.message}); the output folder was left as it was`);
  }
}

/**
 * Finishes what an interrupted synthesis left beside `<dir>`, before anything else happens: when
 * `<dir>` is missing and `.<dir>.gitops-previous` exists, the process died between the two renames
 * and the old output is renamed back; then whatever is left of `.<dir>.gitops-next` and
 * `.<dir>.gitops-previous` is removed. Only files listed in those folders' markers are removed; a
 * folder there that GitOpsApp did not make is an error, and it is left alone.
 */
export function recoverInterruptedWrite(dir: string): void {
  const { next, previous } = stagingFolders(dir);
  const previousOwned = leftover(previous);
  if (previousOwned && !lstatIfPresent(dir)) {
    fs.renameSync(previous, dir);
  } else if (previousOwned) {
    removeOwned(previous, previousOwned);
  }
  const nextOwned = leftover(next);
  if (nextOwned) {
    removeOwned(next, nextOwned);
  }
}

/** The files of a staging folder GitOpsApp left behind; undefined when there is none. */
function leftover(folder: string): Set<string> | undefined {
  const stat = lstatIfPresent(folder);
  if (!stat) {
    return undefined;
  }
  const owned = stat.isDirectory() ? readOwnedFiles(folder) : undefined;
  const foreign = stat.isDirectory() ? foreignEntries(folder, owned) : ['(not a folder)'];
  if (foreign.length > 0) {
    throw new Error(`'${folder}' is in the way: GitOpsApp keeps its unfinished output there, but it holds ${foreign.slice(0, 5).map((f) => `'${f}'`).join(', ')} that GitOpsApp did not write; move it away`);
  }
  return owned ?? new Set();
}
