import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { build } from './app';

/**
 * Writes the example the way a GitOps repository wants it: one folder per chart and one file per
 * resource (small, reviewable diffs), and no construct-metadata.json, which ArgoCD would try to
 * apply as a manifest.
 */
export function synth(outdir: string): void {
  const app = new App({
    outdir,
    yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
    recordConstructMetadata: false,
  });
  build(app);
  app.synth();
}

if (require.main === module) {
  const outdir = path.join(__dirname, 'dist');
  // App.synth() never deletes files, so a removed resource would linger in Git without this.
  fs.rmSync(outdir, { recursive: true, force: true });
  synth(outdir);
}
