import * as path from 'path';
import { ReleaseOutput } from '../../src';
import { synthForGitOps } from '../synth-for-gitops';
import { build } from '../web-echo/app';

/** The web-echo example written as Gateway API. No TRAFFIC.md: the traffic plan does not read Gateway API routes yet. */
export const synth = (outdir: string): void => synthForGitOps((app) => build(app, ReleaseOutput.gatewayApi()), outdir);

if (require.main === module) {
  synth(path.join(__dirname, 'dist'));
}
