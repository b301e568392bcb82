import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { folderSnapshot, tempDir } from './gitops-fixtures';
import { recoverInterruptedWrite } from '../src/gitops/output-swap';

/**
 * Kills a child process with SIGKILL at many points while it replaces a large output (500
 * services, 2,502 files) and checks that, after the recovery every synthesis starts with, the
 * folder is exactly the old output or exactly the new one, and nothing else is left beside it.
 *
 * The child counts its filesystem changes (writes, folders, renames, removals) and kills itself
 * right before change number KILL_AT, so every kill point is exact and repeatable, including the
 * instant between the two renames of the swap.
 */

const ROOT = path.join(__dirname, '..');
const COMPILED = path.join(ROOT, 'lib', 'src', 'index.js');
const SERVICES = 500;
const TIMEOUT_MS = 600_000;

const CHILD = `
const fs = require('fs');
const killAt = Number(process.env.KILL_AT ?? -1);
const changes = [];
for (const name of ['writeFileSync', 'mkdirSync', 'renameSync', 'unlinkSync', 'rmdirSync', 'rmSync']) {
  const original = fs[name];
  fs[name] = function (...args) {
    if (changes.length === killAt) {
      process.kill(process.pid, 'SIGKILL');
    }
    changes.push(name);
    return original.apply(this, args);
  };
}
const { Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});
const lib = require(${JSON.stringify(COMPILED)});
const [outdir, active] = process.argv.slice(2);
const app = new lib.GitOpsApp({ outdir, checkRetirement: false });
const chart = new Chart(app, 'fleet');
const workload = (image) => lib.VersionWorkload.container({ image });
for (let i = 0; i < ${SERVICES}; i++) {
  new lib.BlueGreen(chart, 's' + i, {
    serviceName: 'svc-' + i, namespace: 'fleet', ports: [{ port: 80, protocol: lib.PortProtocol.HTTP }],
    versions: [{ name: 'v1', workload: workload('nginx:1') }, { name: 'v2', workload: workload('nginx:2') }], activeVersion: active,
  });
}
app.synth();
if (process.env.CHANGES_LOG) {
  fs.writeFileSync(process.env.CHANGES_LOG, JSON.stringify(changes));
}
`;

/** The child runs the compiled library; a stale lib/ would test old code. */
function assertCompiled(): void {
  const sources = ['gitops-app.ts', ...fs.readdirSync(path.join(ROOT, 'src', 'gitops')).map((f) => `gitops/${f}`)];
  const compiledAt = fs.existsSync(COMPILED) ? fs.statSync(COMPILED).mtimeMs : 0;
  const newer = sources.filter((f) => fs.statSync(path.join(ROOT, 'src', f)).mtimeMs > compiledAt);
  if (newer.length > 0) {
    throw new Error(`lib/ is older than src/${newer.join(', src/')}: run \`npx projen compile\` before the tests`);
  }
}

/** Runs the child; resolves with the signal that ended it (null when it exited). */
function synthInChild(script: string, outdir: string, active: string, env: Record<string, string> = {}): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, outdir, active], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== null && code !== 0) {
        reject(new Error(`synthesis failed with exit code ${code}: ${stderr}`));
      } else {
        resolve(signal);
      }
    });
  });
}

/** Indexes of the filesystem changes to kill before: spread over the run, plus every rename and the change after it. */
function killPoints(changes: string[]): number[] {
  const points = new Set<number>();
  const spread = 5;
  for (let i = 0; i < spread; i++) {
    points.add(Math.floor(((i + 0.5) * changes.length) / spread));
  }
  changes.forEach((change, index) => {
    if (change === 'renameSync') {
      points.add(index);
      points.add(index + 1);
    }
  });
  points.add(changes.length - 1);
  return [...points].filter((p) => p >= 0 && p < changes.length).sort((a, b) => a - b);
}

test('a synthesis killed at any point leaves the old or the new output, complete', async () => {
  // GIVEN an output with v1 active beside a user's file, replaced once by the output with v2 active
  assertCompiled();
  const work = tempDir('gitops-crash-');
  const script = path.join(work, 'synth.js');
  fs.writeFileSync(script, CHILD);
  fs.writeFileSync(path.join(work, 'README.md'), 'user file beside the output\n');
  const outdir = path.join(work, 'dist');
  const changesLog = path.join(work, 'changes.json');
  await synthInChild(script, outdir, 'v1');
  const snapshots: Record<string, string> = { v1: JSON.stringify(folderSnapshot(outdir)) };
  await synthInChild(script, outdir, 'v2', { CHANGES_LOG: changesLog });
  snapshots.v2 = JSON.stringify(folderSnapshot(outdir));
  expect(JSON.parse(snapshots.v1).filter((line: string) => line.includes(' file '))).toHaveLength(SERVICES * 5 + 2);
  expect(snapshots.v2).not.toEqual(snapshots.v1);
  const changes: string[] = JSON.parse(fs.readFileSync(changesLog, 'utf8'));

  // WHEN each replacement is killed right before one chosen change; the next one starts from what
  // the kill left (after recovery) and goes to the other output, so no copying is needed
  const outcomes: string[] = [];
  let state = 'v2';
  for (const point of killPoints(changes)) {
    const target = state === 'v1' ? 'v2' : 'v1';
    const signal = await synthInChild(script, outdir, target, { KILL_AT: String(point) });
    recoverInterruptedWrite(outdir);
    const snapshot = JSON.stringify(folderSnapshot(outdir));
    const found = Object.keys(snapshots).find((name) => snapshots[name] === snapshot) ?? 'a mix';
    outcomes.push(`${state} -> ${target} killed (${signal}) before change ${point}/${changes.length} (${changes[point]}): ${found === state ? 'old' : found === target ? 'new' : found}, beside it ${fs.readdirSync(work).filter((f) => !['synth.js', 'changes.json'].includes(f)).sort().join(' ')}`);
    state = found;
    if (found === 'a mix') {
      break;
    }
  }

  // THEN every kill left the old or the new output, the user's file, and no temporary folder
  expect(outcomes.filter((o) => !/killed \(SIGKILL\) .*: (old|new), beside it README.md dist$/.test(o))).toEqual([]);
  expect(outcomes.some((o) => o.includes(': old,'))).toBe(true);
  expect(outcomes.some((o) => o.includes(': new,'))).toBe(true);
  fs.rmSync(work, { recursive: true, force: true });
}, TIMEOUT_MS);
