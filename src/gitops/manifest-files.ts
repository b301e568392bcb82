import * as fs from 'fs';
import * as path from 'path';
import { manifestFiles, parseManifestText } from '../manifests/manifest-files';

/** A Kubernetes object of an output and the file (relative, with `/`) that holds it. */
export interface LocatedObject {
  readonly file: string;
  readonly object: any;
}

const YAML_FILE = /\.ya?ml$/i;

/** Whether a relative path names a manifest file. */
export function isManifestFile(file: string): boolean {
  return YAML_FILE.test(file);
}

/** Every regular file below `dir`, relative path -> content (empty when the folder does not exist). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    const entries = fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  if (fs.existsSync(dir)) {
    walk(dir);
  }
  return files;
}

/** The Kubernetes objects in the YAML files of a tree (relative path -> content), parsed once. */
export function objectsOfTree(files: Map<string, string>, source: string): LocatedObject[] {
  const objects: LocatedObject[] = [];
  for (const [file, content] of files) {
    if (isManifestFile(file)) {
      for (const object of parseManifestText(content, `${source}/${file}`)) {
        if (typeof object === 'object' && object.kind) {
          objects.push({ file, object });
        }
      }
    }
  }
  return objects;
}

/** The Kubernetes objects of every YAML file below a folder on disk (none when it does not exist). */
export function readOutputObjects(dir: string): LocatedObject[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const files = new Map<string, string>();
  for (const file of manifestFiles([dir])) {
    files.set(path.relative(dir, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8'));
  }
  return objectsOfTree(files, dir);
}
