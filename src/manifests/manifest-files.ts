import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

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
 * only, sorted by name so output does not depend on the file system), files as given.
 */
export function manifestFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const stat = statOrThrow(p);
    if (stat.isDirectory()) {
      out.push(...walk(p));
    } else {
      out.push(p);
    }
  }
  return out;
}

/**
 * Reads every manifest from files and folders (multi-document YAML).
 *
 * @throws ManifestFileError naming the file, and the line for YAML syntax errors
 */
export function readManifestFiles(paths: string[]): any[] {
  const manifests: any[] = [];
  for (const file of manifestFiles(paths)) {
    manifests.push(...parseManifestText(readText(file), file));
  }
  return manifests;
}

/**
 * Parses multi-document YAML text; `source` names it in error messages.
 */
export function parseManifestText(text: string, source: string): any[] {
  const out: any[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      // the yaml package appends "at line N, column M:" plus a source excerpt; we print the position up front instead
      const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
      throw new ManifestFileError(`${where}: invalid yaml: ${lowerFirst(what)}`, source, pos?.line);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

function statOrThrow(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e: any) {
    throw new ManifestFileError(`cannot read '${p}': ${describeErrno(e)}`, p);
  }
}

function walk(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e: any) {
    throw new ManifestFileError(`cannot read directory '${dir}': ${describeErrno(e)}`, dir);
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...walk(full));
    } else if (YAML_FILE.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ManifestFileError(`cannot read '${file}': ${describeErrno(e)}`, file);
  }
}

function describeErrno(e: any): string {
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a path component is not a directory';
    default: return lowerFirst(String(e?.message ?? e));
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
