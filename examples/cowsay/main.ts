import * as path from 'path';
import { synthForGitOps } from '../synth-for-gitops';
import { build } from './app';

export const synth = (outdir: string): void => synthForGitOps(build, outdir);

if (require.main === module) {
  synth(path.join(__dirname, 'dist'));
}
