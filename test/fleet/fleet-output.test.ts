import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { BlueGreen, FleetApp, FleetDelivery, FleetRelease, PortProtocol, StagedRollout, VersionWorkload } from '../../src';
import { readTree } from '../../src/gitops/manifest-files';
import { commitAll, folderSnapshot, tempDir } from '../gitops-fixtures';
import { CLUSTERS, shopFleet, STAGES } from './fleet-fixtures';

/** One stage per cluster: canary-1, then eu-1, then us-1. */
const THREE_STAGES = [{ name: 'canary', clusters: ['canary-1'] }, { name: 'eu', clusters: ['eu-1'] }, { name: 'us', clusters: ['us-1'] }];

function synthStaged(outdir: string, reached?: string): Map<string, string> {
  shopFleet({ rollout: StagedRollout.activeVersion({ from: 'blue', to: 'green', reached }) }, { outdir, stages: THREE_STAGES }).fleet.synth();
  return readTree(outdir);
}

describe('fleet output', () => {
  test('each cluster gets its own folder with its own values and traffic plan', () => {
    // GIVEN
    const outdir = path.join(tempDir(), 'dist');

    // WHEN
    const files = synthStaged(outdir, 'canary');

    // THEN
    const active = (cluster: string) => (files.get(`clusters/${cluster}/web/TRAFFIC.md`)!.match(/any request \| (blue|green) 100%/) ?? [])[1];
    expect(['canary-1', 'eu-1', 'us-1'].map(active)).toEqual(['green', 'blue', 'blue']);
    expect(files.get('FLEET.md')).toContain('<!-- rollout web reached canary -->');
    expect([...files.keys()].filter((f) => f.startsWith('delivery/'))).toEqual([]);
  });

  test('a promotion that skips a stage since the last output is refused, and the output is left as it was', () => {
    // GIVEN an output where the rollout reached the canary stage
    const outdir = path.join(tempDir(), 'dist');
    synthStaged(outdir, 'canary');
    const before = folderSnapshot(outdir);

    // WHEN / THEN moving straight to `us` skips `eu`
    expect(() => synthStaged(outdir, 'us')).toThrow("release 'web' moves its activeVersion from stage 'canary' to stage 'us' in one change, skipping 'eu': promote one stage at a time (reached: 'eu')");
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('under Git the stage reached is read from the last commit, even when the folder on disk is gone', () => {
    // GIVEN a repository whose committed output reached the canary stage, and the folder deleted (as `cdk8s synth` does)
    const repo = tempDir();
    const outdir = path.join(repo, 'dist');
    synthStaged(outdir, 'canary');
    commitAll(repo, 'canary');
    fs.rmSync(outdir, { recursive: true });

    // WHEN / THEN
    expect(() => synthStaged(outdir, 'us')).toThrow(/compared with the last committed output, HEAD:dist \(commit [0-9a-f]{12}\):\n {2}release 'web' moves its activeVersion from stage 'canary' to stage 'us' in one change, skipping 'eu'/);
    expect(() => synthStaged(outdir, 'eu')).not.toThrow();
  });

  test('promotions one stage at a time pass, and so does a rollback of any length', () => {
    // GIVEN
    const outdir = path.join(tempDir(), 'dist');
    synthStaged(outdir);

    // WHEN / THEN
    for (const reached of ['canary', 'eu', 'us', undefined]) {
      expect(() => synthStaged(outdir, reached)).not.toThrow();
    }
    expect(readTree(outdir).get('FLEET.md')).toContain('<!-- rollout web reached - -->');
  });

  test('the first stage reached from none is one step; the second is a skip', () => {
    // GIVEN
    const outdir = path.join(tempDir(), 'dist');
    synthStaged(outdir);

    // THEN
    expect(() => synthStaged(outdir, 'eu')).toThrow("moves its activeVersion from no stage to stage 'eu' in one change, skipping 'canary'");
  });

  test('the retirement check runs per cluster against that cluster\'s last output', () => {
    // GIVEN an output where every cluster routes to blue
    const outdir = path.join(tempDir(), 'dist');
    shopFleet({ activeVersion: 'blue' }, { outdir, stages: STAGES }).fleet.synth();

    // WHEN eu-1 drops the blue version it still routes to
    const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES, outdir });
    const web = new FleetRelease(fleet, 'web', { activeVersion: 'blue', overrides: [{ cluster: 'eu-1', activeVersion: 'green' }] });
    for (const cluster of fleet.clusters) {
      const active = web.valuesFor(cluster).activeVersion!;
      new BlueGreen(new Chart(cluster.app, 'web'), 'web', {
        serviceName: 'web',
        namespace: 'shop',
        ports: [{ port: 80, protocol: PortProtocol.HTTP }],
        hosts: ['web.example.com'],
        versions: active === 'blue' ? [{ name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }) }, { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }]
          : [{ name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }],
        activeVersion: active,
      });
    }

    // THEN only eu-1 is named
    expect(() => fleet.synth()).toThrow(/unsafe change in .* compared with the folder on disk[^]*\n {2}cluster eu-1: version 'blue' of web\.shop\.svc\.cluster\.local is removed while the base output still routes traffic to it/);
  });

  test('like GitOpsApp, it refuses a folder holding files it did not write', () => {
    // GIVEN
    const outdir = path.join(tempDir(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'notes.txt'), 'mine');

    // THEN
    expect(() => synthStaged(outdir, 'canary')).toThrow(`refusing to write GitOps output to '${outdir}': it holds 'notes.txt'`);
    expect(fs.readdirSync(outdir)).toEqual(['notes.txt']);
  });

  test('two deliveries for one engine are an error', () => {
    const flux = () => FleetDelivery.flux({ gitRepository: 'r', repoPath: 'd' });
    expect(() => new FleetApp({ name: 'shop', clusters: CLUSTERS, deliveries: [flux(), flux()] })).toThrow('FleetApp: two flux deliveries: both would write delivery/flux/; keep one');
  });
});
