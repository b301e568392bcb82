import { App } from 'cdk8s';
import { GitOpsApp, GitOpsAppProps } from '../src';

/**
 * Writes an example the way a GitOps repository wants it: a folder per chart split into `base/` and
 * `routes/` for Flux, ArgoCD sync waves, a TRAFFIC.md per chart, and nothing stale left behind.
 * `options` overrides these settings.
 */
export function synthForGitOps(build: (app: App) => void, outdir: string, options: Partial<GitOpsAppProps> = {}): void {
  const app = new GitOpsApp({ outdir, argoCdSyncWaves: true, fluxKustomizations: true, ...options });
  build(app);
  app.synth();
}
