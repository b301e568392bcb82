/**
 * Compiles src/, imports/ and bench/ to JavaScript (transpile only, no type check) below
 * node_modules/.cache/bench, so benchmark processes run the JavaScript a user's app runs, not
 * TypeScript compiled on the fly: ts-node would add seconds of compilation that grow with the
 * library's size, not with its work. Modules still resolve from the repository's node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
export const BUILD = path.join(ROOT, 'node_modules', '.cache', 'bench');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Writes the JavaScript of every source and returns the path of `bench/<name>.js` in the build. */
export function buildBench(): void {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true,
  };
  for (const folder of ['src', 'imports', 'bench']) {
    for (const file of sources(path.join(ROOT, folder))) {
      const out = path.join(BUILD, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file }).outputText;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, js);
    }
  }
}

/** The compiled form of a benchmark script. */
export function built(script: string): string {
  return path.join(BUILD, 'bench', `${script}.js`);
}
