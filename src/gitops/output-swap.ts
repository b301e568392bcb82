import * as fs from 'fs';
import * as path from 'path';
import { OutputFolderState } from './output-folder';
import { foreignEntries, lstatIfPresent, OWNED_FILES, OWNED_FILES_NEXT, ownedFilesText, readOwnedFiles, removeOwned } from './owned-files';

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
 * A new output while it is written into `.<dir>.gitops-next`, then swapped in, all or nothing:
 *
 * 1. the staging folder is made and its marker lists every file that may be written, before any is;
 *    files can be written from then on, while the rest of the output is still being computed;
 * 2. `commit` writes what is missing, lists exactly the files of the output in the marker (a new
 *    marker renamed over the old, so a marker is always complete), renames `<dir>` to
 *    `.<dir>.gitops-previous` and `.<dir>.gitops-next` to `<dir>`;
 * 3. the files of the old output are removed from `.<dir>.gitops-previous`.
 *
 * Until step 2's first rename `<dir>` is untouched; after the second it is the complete new output.
 * Between the two renames `<dir>` does not exist for an instant: if the process dies exactly there,
 * `recoverInterruptedWrite` (the first thing every synthesis does) renames the old output back. Any
 * error, and `discard`, removes what was staged, so `<dir>` is left as it was.
 */
export class StagedOutput {
  private readonly next: string;
  private readonly previous: string;
  private listed: Set<string>;
  private readonly written = new Set<string>();
  private readonly folders = new Set<string>();

  /** Makes the staging folder, listing in its marker the files that may be written. */
  constructor(private readonly state: OutputFolderState, files: Iterable<string>) {
    ({ next: this.next, previous: this.previous } = stagingFolders(state.dir));
    this.listed = new Set(files);
    fs.mkdirSync(path.dirname(state.dir), { recursive: true });
    fs.mkdirSync(this.next);
    try {
      fs.writeFileSync(path.join(this.next, OWNED_FILES), ownedFilesText([...this.listed].sort()));
    } catch (e) {
      removeOwned(this.next, this.listed);
      throw e;
    }
  }

  /** Writes one listed file now; it must be part of the output `commit` is given. */
  public write(file: string, content: string): void {
    if (!this.listed.has(file)) {
      throw new Error(`internal error: '${file}' is written before it is listed in the staging marker`);
    }
    const folder = path.dirname(file);
    if (folder !== '.' && !this.folders.has(folder)) {
      fs.mkdirSync(path.join(this.next, folder), { recursive: true });
      this.folders.add(folder);
    }
    this.written.add(file);
    fs.writeFileSync(path.join(this.next, file), content);
  }

  /** Removes everything staged; `<dir>` is left as it was. */
  public discard(): void {
    removeOwned(this.next, new Set([...this.listed, OWNED_FILES_NEXT]));
  }

  /** Makes `files` the output: writes what `write` did not, then swaps the staging folder in. */
  public commit(files: Map<string, string>): void {
    const names = [...files.keys()].sort();
    try {
      if (names.some((name) => !this.listed.has(name))) {
        this.relist(new Set([...this.listed, ...names]));
      }
      for (const name of names) {
        if (!this.written.has(name)) {
          this.write(name, files.get(name)!);
        }
      }
      // a file written early that the output no longer holds goes before the list drops it
      for (const name of this.written) {
        if (!files.has(name)) {
          fs.unlinkSync(path.join(this.next, name));
        }
      }
      if (names.length !== this.listed.size) {
        this.relist(new Set(names));
      }
    } catch (e) {
      this.discard();
      throw e;
    }
    const undo = () => removeOwned(this.next, this.listed);
    if (!this.state.exists) {
      renameOrUndo(this.next, this.state.dir, undo);
      return;
    }
    renameOrUndo(this.state.dir, this.previous, undo);
    renameOrUndo(this.next, this.state.dir, () => {
      fs.renameSync(this.previous, this.state.dir);
      undo();
    });
    removeOwned(this.previous, this.state.owned);
  }

  /** Replaces the staging marker by one listing `files`, by rename, so it is never half written. */
  private relist(files: Set<string>): void {
    const fresh = path.join(this.next, OWNED_FILES_NEXT);
    fs.writeFileSync(fresh, ownedFilesText([...files].sort()));
    fs.renameSync(fresh, path.join(this.next, OWNED_FILES));
    this.listed = files;
  }
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
  const listed = stat.isDirectory() ? readOwnedFiles(folder) : undefined;
  // a staging marker's replacement, left by a crash before it was renamed over the marker
  const owned = listed && new Set([...listed, OWNED_FILES_NEXT]);
  const foreign = stat.isDirectory() ? foreignEntries(folder, owned) : ['(not a folder)'];
  if (foreign.length > 0) {
    throw new Error(`'${folder}' is in the way: GitOpsApp keeps its unfinished output there, but it holds ${foreign.slice(0, 5).map((f) => `'${f}'`).join(', ')} that GitOpsApp did not write; move it away`);
  }
  return owned ?? new Set();
}
