import { App } from 'cdk8s';
import { GitOpsApp } from '../src';

/**
 * Writes an example the way a GitOps repository wants it: a folder per chart split into `base/` and
 * `routes/` for Flux, ArgoCD sync waves, a TRAFFIC.md per chart, and nothing stale left behind.
 */
export function synthForGitOps(build: (app: App) => void, outdir: string): void {
  const app = new GitOpsApp({ outdir, argoCdSyncWaves: true, fluxKustomizations: true });
  build(app);
  app.synth();
}
