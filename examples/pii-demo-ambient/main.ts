import * as path from 'path';
import { synthForGitOps } from '../synth-for-gitops';
import { build } from './app';

// No TRAFFIC.md: the traffic plan does not read Gateway API routes yet.
export const synth = (outdir: string): void => synthForGitOps((app) => build(app), outdir);

if (require.main === module) {
  synth(path.join(__dirname, 'dist'));
}
