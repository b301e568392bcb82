import * as fs from 'fs';
import * as path from 'path';
import { forEachDocument, linesOfPaths, YamlError } from './kubectl-yaml';
import { setManifestSource } from './manifest-source';

/**
 * A manifest file or folder that cannot be read or parsed. The message already names the file
 * (and the line for YAML errors), so command-line callers print it as is.
 */
export class ManifestFileError extends Error {
  constructor(message: string, public readonly file: string, public readonly line?: number) {
    super(message);
    this.name = 'ManifestFileError';
  }
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Expands files and folders into the YAML files to read: folders recursively (`.yaml` / `.yml`
 * only, sorted by name so output does not depend on the file system), files as given. Symbolic
 * links are followed; a folder or file reached twice (a link loop, or two links to one place) is
 * read once.
 */
export function manifestFiles(paths: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const stat = statOrThrow(p);
    if (stat.isDirectory()) {
      walk(p, seen, out);
    } else if (once(p, seen)) {
      out.push(p);
    }
  }
  return out;
}

/**
 * Reads every manifest from files and folders (multi-document YAML, read as kubectl reads it).
 *
 * @throws ManifestFileError naming the file, and the line for YAML syntax errors
 */
export function readManifestFiles(paths: string[]): any[] {
  const manifests: any[] = [];
  for (const file of manifestFiles(paths)) {
    // one push per document: spreading a huge array into push() overflows the call stack
    parseInto(readText(file), file, manifests);
  }
  return manifests;
}

/**
 * Parses multi-document YAML text; `source` names it in error messages.
 */
export function parseManifestText(text: string, source: string): any[] {
  const out: any[] = [];
  parseInto(text, source, out);
  return out;
}

function parseInto(text: string, source: string, out: any[]): void {
  try {
    forEachDocument(text, (doc, document) => {
      if (doc.value && typeof doc.value === 'object') {
        setManifestSource(doc.value, { file: source, document, line: doc.line });
      }
      out.push(doc.value);
    });
  } catch (e) {
    if (e instanceof YamlError) {
      const where = e.line !== undefined ? `${source}:${e.line}:${e.col ?? 1}` : source;
      throw new ManifestFileError(`${where}: invalid yaml: ${e.message}`, source, e.line);
    }
    throw e;
  }
}

/** A place inside a manifest read from a file. */
export interface SourcePath {
  readonly file: string;
  /** First line of the manifest's document (`ManifestSource.line`). */
  readonly documentLine: number;
  /** Path inside the object, e.g. `spec.http[0].match[0].uri.regex`; the document start when absent. */
  readonly path?: string;
}

/**
 * The 1-based line of each place, each file read and parsed once; the document's first line when
 * the path cannot be found (or the file is gone).
 */
export function sourceLines(places: SourcePath[]): number[] {
  const out = places.map((p) => p.documentLine);
  const byFile = new Map<string, number[]>();
  places.forEach((p, i) => {
    if (p.path) {
      const list = byFile.get(p.file) ?? [];
      list.push(i);
      byFile.set(p.file, list);
    }
  });
  for (const [file, indexes] of byFile) {
    if (!fs.existsSync(file)) {
      continue;
    }
    const lines = linesOfPaths(fs.readFileSync(file, 'utf8'), indexes.map((i) => ({ documentLine: places[i].documentLine, path: places[i].path! })));
    indexes.forEach((i, k) => {
      out[i] = lines[k] ?? out[i];
    });
  }
  return out;
}

function statOrThrow(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e: any) {
    throw new ManifestFileError(`cannot read '${p}': ${describeErrno(e, p)}`, p);
  }
}

/** Whether the real path of `p` is new; records it. */
function once(p: string, seen: Set<string>): boolean {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch (e: any) {
    throw new ManifestFileError(`cannot read '${p}': ${describeErrno(e, p)}`, p);
  }
  if (seen.has(real)) {
    return false;
  }
  seen.add(real);
  return true;
}

function walk(dir: string, seen: Set<string>, out: string[]): void {
  if (!once(dir, seen)) {
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e: any) {
    throw new ManifestFileError(`cannot read directory '${dir}': ${describeErrno(e, dir)}`, dir);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = statOrThrow(full);
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      walk(full, seen, out);
    } else if (isFile && YAML_FILE.test(entry.name) && once(full, seen)) {
      out.push(full);
    }
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ManifestFileError(`cannot read '${file}': ${describeErrno(e, file)}`, file);
  }
}

function describeErrno(e: any, p: string): string {
  switch (e?.code) {
    case 'ENOENT': return isDanglingLink(p) ? 'a symbolic link to a path that does not exist' : 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a path component is not a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return lowerFirst(String(e?.message ?? e));
  }
}

function isDanglingLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
