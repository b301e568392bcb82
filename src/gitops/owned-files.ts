import * as fs from 'fs';
import * as path from 'path';

/**
 * The file in every output folder that lists what GitOpsApp wrote there. It is neither `.yaml` nor
 * `.json`, so ArgoCD, Flux and the cdk8s CLI never take it for a manifest; it is committed with the
 * output, and its content depends only on the file names.
 */
export const OWNED_FILES = '.gitops-app-files';

/** The next marker of a staging folder while it is written, before it is renamed over `OWNED_FILES`. */
export const OWNED_FILES_NEXT = `${OWNED_FILES}.next`;

const HEADER = [
  '# Written by cdk8s-istio-traffic GitOpsApp. Each synthesis replaces the files listed here, and',
  '# only them; it refuses a folder that holds anything else. Do not edit.',
];

/** The marker text for these relative paths (`/`-separated, in code-point order). */
export function ownedFilesText(files: string[]): string {
  return [...HEADER, ...files, ''].join('\n');
}

/**
 * Reads the marker of `dir`: the listed paths, or undefined when there is none. A marker that is
 * not a regular file is not ours.
 */
export function readOwnedFiles(dir: string): Set<string> | undefined {
  const marker = path.join(dir, OWNED_FILES);
  if (!lstatIfPresent(marker)?.isFile()) {
    return undefined;
  }
  const lines = fs.readFileSync(marker, 'utf8').split('\n');
  return new Set(lines.filter((line) => line !== '' && !line.startsWith('#')));
}

/** The entry at `p` itself (a link is not followed), or undefined when there is none. */
export function lstatIfPresent(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e: any) {
    if (e.code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

/** What a folder holds, seen without following links. */
export interface FolderEntries {
  /** Regular files, relative with `/`. */
  readonly files: string[];
  /** Folders, relative with `/`, parents before children. */
  readonly folders: string[];
  /** Anything else (symbolic links, sockets, devices), relative with `/`. */
  readonly others: string[];
}

/** Lists everything below `dir` with lstat, so links are reported and never followed. */
export function listEntries(dir: string): FolderEntries {
  const files: string[] = [];
  const folders: string[] = [];
  const others: string[] = [];
  const walk = (relative: string) => {
    const entries = fs.readdirSync(relative === '' ? dir : path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        folders.push(child);
        walk(child);
      } else if (entry.isFile()) {
        files.push(child);
      } else {
        others.push(child);
      }
    }
  };
  walk('');
  return { files, folders, others };
}

/**
 * The entries of `dir` that GitOpsApp did not write: anything but the marker and the files it
 * lists, and folders that are not on the way to a listed file (an empty folder someone made is
 * theirs).
 */
export function foreignEntries(dir: string, owned: Set<string> | undefined, entries: FolderEntries = listEntries(dir)): string[] {
  const listed = owned ?? new Set<string>();
  const ownFolders = foldersOf(listed);
  const foreign = [
    ...entries.others,
    ...entries.files.filter((file) => !listed.has(file) && !(file === OWNED_FILES && owned)),
    ...entries.folders.filter((folder) => !ownFolders.has(folder)),
  ];
  return foreign.sort();
}

/** Every folder on the way to the given relative files. */
function foldersOf(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      folders.add(file.slice(0, slash));
    }
  }
  return folders;
}

/**
 * Removes the files `owned` lists from `dir`, then the folders left empty, then the marker, then
 * `dir` itself if it is empty. Anything else stays where it is. The marker goes last: a crash at
 * any point leaves a folder whose content is still explained by it (or an empty folder).
 */
export function removeOwned(dir: string, owned: Set<string>): void {
  for (const file of owned) {
    unlinkIfPresent(path.join(dir, file));
  }
  for (const folder of [...foldersOf(owned)].sort((a, b) => b.length - a.length)) {
    rmdirIfEmpty(path.join(dir, folder));
  }
  unlinkIfPresent(path.join(dir, OWNED_FILES));
  rmdirIfEmpty(dir);
}

function unlinkIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e: any) {
    if (e.code !== 'ENOENT') {
      throw e;
    }
  }
}

function rmdirIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch (e: any) {
    if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(e.code)) {
      throw e;
    }
  }
}
