import * as fs from 'fs';
import * as path from 'path';
import { parseManifestText } from '../manifests/manifest-files';

/** Every file below `dir`, relative path -> content (empty when the folder does not exist). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    const entries = fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        files.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  if (fs.existsSync(dir)) {
    walk(dir);
  }
  return files;
}

/** Writes `files` (relative path -> content) into an empty `dir`. */
export function writeTree(dir: string, files: Map<string, string>): void {
  for (const [relative, content] of files) {
    const full = path.join(dir, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

/** The Kubernetes objects in the YAML files of a tree. */
export function manifestsOf(files: Map<string, string>): any[] {
  return [...files]
    .filter(([relative]) => /\.ya?ml$/.test(relative))
    .flatMap(([relative, content]) => parseManifestText(content, relative))
    .filter((value) => typeof value === 'object' && value.kind);
}
