/**
 * Offline tools at platform scale: a generated folder of 5,000 releases (written to a temporary
 * folder), the median of gateway and mesh `route()` calls after loading, whole `check` and `plan`
 * command-line runs, and one file of 200,000 documents.
 *
 *   npx projen bench                 # synthesis and routing benchmarks
 *   npx projen bench -- --routing    # routing only
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { release, SHARED_GATEWAY, writePlatform } from './platform';
import { RouteOutcome, RouteSimulator } from '../src';
import { readManifestFiles } from '../src/manifests/manifest-files';

const ROOT = path.join(__dirname, '..');
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of `calls` calls of `fn(i)`, after `calls / 10` untimed warm-up calls. */
function medianMs(calls: number, fn: (i: number) => void): number {
  for (let i = 0; i < calls / 10; i++) {
    fn(i);
  }
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    times.push(seconds(start) * 1000);
  }
  return median(times);
}

/** The command-line tool: compiled when `lib/` exists (as installed), else from source. */
function cliCommand(): { args: string[]; label: string } {
  const compiled = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
  const wrapper = path.join(__dirname, 'timed-cli.js');
  if (fs.existsSync(compiled)) {
    return { args: [wrapper, compiled], label: 'compiled lib/' };
  }
  return { args: ['-r', 'ts-node/register/transpile-only', wrapper, path.join(ROOT, 'src', 'cli', 'main.ts')], label: 'ts-node, from source' };
}

/** Wall-clock and CPU seconds of one whole CLI run (process start to exit); exit code 1 (findings) is fine. */
function timeCli(args: string[]): string {
  const cmd = cliCommand();
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...cmd.args, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const wall = seconds(start);
  const stderr = run.stderr?.toString() ?? '';
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`${args[0]} failed: ${stderr}`);
  }
  const cpu = Number(/cpu-seconds ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
  return `${wall.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)`;
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function runRoutingBench(services = 5000): void {
  const dir = fs.mkdtempSync(path.join(SCRATCH, 'routing-bench-'));
  try {
    const objects = writePlatform(dir, services);
    console.log(`\n## Offline tools on ${services} releases (${objects} objects, ${fs.readdirSync(dir).length} files; CLI: ${cliCommand().label})\n`);
    console.log(row(['measurement', 'value', 'target']));
    console.log(row(['---', '---:', '---:']));

    let start = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    const sim = new RouteSimulator(readManifestFiles([dir]));
    console.log(row(['load the folder and index it (in process)', `${seconds(start).toFixed(2)} s (CPU ${cpuSince(cpu).toFixed(2)} s)`, '-']));

    // the first call of each kind builds the route table it needs; the median shows steady-state cost
    const pick = (i: number) => release((i * 7919) % services);
    const gateway = medianMs(1000, (i) => {
      const r = pick(i);
      const result = sim.route({ gateway: SHARED_GATEWAY, host: r.host, path: '/', headers: { cookie: 'x-version=green' } });
      if (result.outcome !== RouteOutcome.ROUTED) {
        throw new Error(`gateway route to ${r.host}: ${result.outcome} ${result.reason}`);
      }
    });
    console.log(row(['gateway `route()`, median of 1000', `${gateway.toFixed(3)} ms`, '< 5 ms']));
    const mesh = medianMs(1000, (i) => {
      const r = pick(i);
      const result = sim.route({ sourceNamespace: r.namespace, host: r.name, path: '/' });
      if (result.outcome !== RouteOutcome.ROUTED) {
        throw new Error(`mesh route to ${r.name}: ${result.outcome} ${result.reason}`);
      }
    });
    console.log(row(['mesh `route()`, median of 1000', `${mesh.toFixed(3)} ms`, '< 5 ms']));

    console.log(row(['`check` (whole CLI run)', timeCli(['check', dir]), '< 10 s']));
    console.log(row(['`plan` (whole CLI run)', timeCli(['plan', dir]), '< 10 s']));
    console.log(row(['`route` (whole CLI run)', timeCli(['route', '--gateway', SHARED_GATEWAY, '--host', release(services - 1).host, dir]), '-']));

    const big = path.join(dir, 'big', 'configmaps.yaml');
    fs.mkdirSync(path.dirname(big));
    fs.writeFileSync(big, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: x }\n---\n'.repeat(200_000));
    start = process.hrtime.bigint();
    cpu = process.cpuUsage();
    const loaded = readManifestFiles([path.dirname(big)]).length;
    console.log(row([`load one file of ${loaded} documents`, `${seconds(start).toFixed(2)} s (CPU ${cpuSince(cpu).toFixed(2)} s)`, 'no crash']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runRoutingBench(Number(process.argv[2] ?? 5000));
}
