import * as path from 'path';
import { build } from './app';

/** Synthesizes the fleet into `outdir`: a folder per cluster and the ArgoCD, Flux and Kurator objects. */
export const synth = (outdir: string): void => build(outdir).synth();

if (require.main === module) {
  synth(path.join(__dirname, 'dist'));
}
