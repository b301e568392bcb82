/**
 * Synthesizes every example app (`examples/<name>/main.ts`) into `examples/<name>/dist/`, the
 * committed GitOps output.
 */
import * as fs from 'fs';
import * as path from 'path';

export const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');

/** An example's entry point: synthesizes the example with its GitOps output settings. */
interface ExampleMain {
  synth(outdir: string): void;
}

/** The examples, in a stable order: every folder of examples/ that has a main.ts. */
export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES_DIR, entry.name, 'main.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** Where an example's committed output lives. */
export function exampleDist(name: string): string {
  return path.join(EXAMPLES_DIR, name, 'dist');
}

/** Synthesizes one example into `outdir` through the example's own main.ts, so settings never drift. */
export function synthExample(name: string, outdir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example: ExampleMain = require(path.join(EXAMPLES_DIR, name, 'main'));
  if (typeof example.synth !== 'function') {
    throw new Error(`examples/${name}/main.ts does not export synth(outdir: string)`);
  }
  example.synth(outdir);
}

function main(): void {
  const names = exampleNames();
  if (names.length === 0) {
    throw new Error(`no examples found in ${EXAMPLES_DIR}: expected folders with a main.ts`);
  }
  for (const name of names) {
    // GitOpsApp replaces dist/ itself, after checking that no version still routed in the
    // committed output is removed in one step.
    synthExample(name, exampleDist(name));
    console.log(`examples/${name}/dist/ synthesized`);
  }
}

if (require.main === module) {
  main();
}
