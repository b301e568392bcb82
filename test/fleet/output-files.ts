import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetApp } from '../../src';
import { readTree } from '../../src/gitops/manifest-files';

/** Builds a fleet writing to a fresh temporary folder, synthesizes it and returns its files. */
export function gitopsOutput(build: (outdir: string) => FleetApp): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  try {
    build(path.join(dir, 'dist')).synth();
    return readTree(path.join(dir, 'dist'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
