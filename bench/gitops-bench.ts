/**
 * Whole-process synthesis cost of the same services written four ways, at one chart and at many:
 *
 * - `gitops`: the library's releases in a `GitOpsApp` (a file per object, traffic plans, checks);
 * - `library`: the library's releases in a plain cdk8s `App` (a file per chart);
 * - `baseline`: the same objects as hand-written `ApiObject`s in a plain `App` (a file per chart);
 * - `floor`: the same documents printed with the `yaml` package and written a file per chart,
 *   without cdk8s: what serialization alone costs.
 *
 * Then the cold `require` of the library, of cdk8s-plus-27 (which the library loads only once a
 * release creates or labels a workload) and of cdk8s. Every figure is the median of `--repeats`
 * runs of a fresh process, the variants alternating so that the machine's drift hits all alike.
 * Children run compiled JavaScript (bench/build.ts).
 *
 *   npx projen bench -- --synth             # full run, 3 repetitions (about 5 minutes on 2 idle cores)
 *   npx projen bench -- --synth --quick     # small sizes, one repetition
 *   npx projen bench -- --synth --readme    # also rewrites the README's table
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Variant = 'gitops' | 'library' | 'baseline' | 'floor';
const VARIANTS: Variant[] = ['gitops', 'library', 'baseline', 'floor'];
const MODULES = ['library', 'cdk8s-plus-27', 'cdk8s'] as const;
type ModuleName = typeof MODULES[number];

/** What one child process reports about itself. */
interface Run {
  /** Wall-clock seconds of the whole process, measured by the parent. */
  wall: number;
  /** CPU seconds of the process (user + system, garbage collector threads included). */
  cpu: number;
  peakMiB: number;
}

const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const README = path.join(__dirname, '..', 'README.md');
const START = '<!-- synth-bench:start -->';
const END = '<!-- synth-bench:end -->';

/** The child: declares and synthesizes one case, then prints its own CPU time and peak memory. */
function child(args: string[]): void {
  const [what, a, b, outdir] = args;
  if (what === 'require') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(a === 'library' ? '../src' : a);
  } else {
    synthesize(what as Variant, Number(a), Number(b), outdir);
  }
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ cpu: (cpu.user + cpu.system) / 1e6, peakMiB: process.resourceUsage().maxRSS / 1024 }));
}

/** Writes one case into `outdir`, which the parent made and removes after timing the process. */
function synthesize(variant: Variant, services: number, charts: number, outdir: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (variant === 'floor') {
    const { stringify } = require('yaml');
    const { baselineDocuments } = require('./workload');
    const perChart: string[][] = Array.from({ length: charts }, () => []);
    for (let i = 0; i < services; i++) {
      for (const doc of baselineDocuments(i)) {
        perChart[i % charts].push(stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' }));
      }
    }
    perChart.forEach((docs, c) => fs.writeFileSync(path.join(outdir, `chart-${c}.k8s.yaml`), docs.join('---\n')));
    return;
  }
  const { App } = require('cdk8s');
  const { declare } = require('./workload');
  const app = variant === 'gitops' ? new (require('../src').GitOpsApp)({ outdir: path.join(outdir, 'dist') }) : new App({ outdir });
  declare(app, variant === 'baseline' ? 'baseline' : 'library', services, charts);
  app.synth();
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The benchmark's own compiler, loaded by the parent only: TypeScript would add half a second to every child. */
function build(): typeof import('./build') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./build');
}

/**
 * Times one child process. The output folder is made and removed here, outside the timed process:
 * removing tens of thousands of files is the benchmark's clean-up, not part of a synthesis.
 */
function runChild(args: string[]): Run {
  const { built } = build();
  const outdir = fs.mkdtempSync(path.join(SCRATCH, 'synth-bench-'));
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [built('gitops-bench'), '--child', ...args, outdir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) {
    throw new Error(`bench case ${args.join(' ')} failed: ${result.stderr}`);
  }
  return { wall, ...JSON.parse(result.stdout.trim().split('\n').pop()!) };
}

function median(runs: Run[]): Run {
  const mid = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return { wall: mid(runs.map((r) => r.wall)), cpu: mid(runs.map((r) => r.cpu)), peakMiB: mid(runs.map((r) => r.peakMiB)) };
}

/** Runs every variant `repeats` times, alternating, and keeps each one's medians. */
function runCase(services: number, charts: number, repeats: number): Map<Variant, Run> {
  const runs = new Map<Variant, Run[]>(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < repeats; r++) {
    for (const variant of VARIANTS) {
      runs.get(variant)!.push(runChild([variant, String(services), String(charts)]));
    }
  }
  return new Map(VARIANTS.map((v) => [v, median(runs.get(v)!)]));
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const s = (x: number) => x.toFixed(2);
const ratio = (x: number) => `${x.toFixed(2)}×`;
/** Ratios compared with a target: three decimals, so 0.153× does not read as meeting ≤ 0.15×. */
const targetRatio = (x: number) => `${x.toFixed(3)}×`;

function main(): void {
  const quick = process.argv.includes('--quick');
  const repeats = quick ? 1 : 3;
  const oneChart = quick ? [200, 2000] : [1000, 10000];
  const manyCharts = quick ? [25, 100, 400] : [100, 400, 1600];
  build().buildBench();
  const lines: string[] = [];
  const out = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  out(`Median of ${repeats} alternating runs, each a fresh \`node\` process (wall and CPU seconds of the whole process, peak RSS); `
    + `${os.cpus().length} cores, Node ${process.versions.node}, load average ${os.loadavg()[0].toFixed(1)} at the start.`);
  out();
  out(row(['case', 'variant', 'wall s', 'CPU s', 'peak MiB', 'wall ÷ baseline']));
  out(row(['---', '---', '---:', '---:', '---:', '---:']));
  const results = new Map<string, Map<Variant, Run>>();
  const cases = [...oneChart.map((n) => ({ services: n, charts: 1 })), ...manyCharts.map((n) => ({ services: n, charts: n }))];
  for (const c of cases) {
    const label = c.charts === 1 ? `${c.services.toLocaleString('en')} services, one chart` : `${c.charts.toLocaleString('en')} charts, one service each`;
    const measured = runCase(c.services, c.charts, repeats);
    results.set(`${c.services}/${c.charts}`, measured);
    const base = measured.get('baseline')!.wall;
    for (const variant of VARIANTS) {
      const m = measured.get(variant)!;
      out(row([label, variant, s(m.wall), s(m.cpu), m.peakMiB.toFixed(0), ratio(m.wall / base)]));
    }
  }
  out();
  out(row(['cold require', 'wall s', 'CPU s', 'peak MiB']));
  out(row(['---', '---:', '---:', '---:']));
  const requires = new Map<ModuleName, Run[]>(MODULES.map((m) => [m, []]));
  for (let r = 0; r < Math.max(repeats, 5); r++) {
    MODULES.forEach((m) => requires.get(m)!.push(runChild(['require', m])));
  }
  for (const m of MODULES) {
    const run = median(requires.get(m)!);
    out(row([m === 'library' ? 'cdk8s-istio-traffic (cdk8s-plus-27 only once a release needs a workload)' : m, s(run.wall), s(run.cpu), run.peakMiB.toFixed(0)]));
  }
  out();
  const get = (services: number, charts: number, v: Variant) => results.get(`${services}/${charts}`)!.get(v)!;
  const [small, large] = oneChart;
  const [fewCharts, , mostCharts] = manyCharts;
  out(`- GitOpsApp ÷ hand-written ApiObjects in a plain App, ${large.toLocaleString('en')} services in one chart: `
    + `${targetRatio(get(large, 1, 'gitops').wall / get(large, 1, 'baseline').wall)} wall (target ≤ 0.8×)`);
  out(`- the same at ${mostCharts.toLocaleString('en')} charts: ${targetRatio(get(mostCharts, mostCharts, 'gitops').wall / get(mostCharts, mostCharts, 'baseline').wall)} wall (target ≤ 0.15×)`);
  const growth = (v: Variant) => get(large, 1, v).wall / get(small, 1, v).wall;
  out(`- ${large / small}× the services in one chart: GitOpsApp ${ratio(growth('gitops'))}, plain App with the library ${ratio(growth('library'))}, `
    + `hand-written ${ratio(growth('baseline'))} wall (target ≤ ${(large / small) * 1.05}×; each includes the process start)`);
  const chartGrowth = (v: Variant) => get(mostCharts, mostCharts, v).wall / get(fewCharts, fewCharts, v).wall;
  out(`- ${mostCharts / fewCharts}× the charts: GitOpsApp ${ratio(chartGrowth('gitops'))}, plain App with the library ${ratio(chartGrowth('library'))}, `
    + `hand-written ${ratio(chartGrowth('baseline'))} wall`);
  out(`- peak memory at ${large.toLocaleString('en')} services: GitOpsApp ÷ plain App with the library `
    + `${targetRatio(get(large, 1, 'gitops').peakMiB / get(large, 1, 'library').peakMiB)}, ÷ hand-written `
    + `${ratio(get(large, 1, 'gitops').peakMiB / get(large, 1, 'baseline').peakMiB)} (target ≤ 1.2×)`);
  if (process.argv.includes('--readme')) {
    writeReadme(lines);
  }
}

/** Replaces the table between the README's markers with this run's output. */
function writeReadme(lines: string[]): void {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${START} … ${END} markers to write the table between`);
  }
  fs.writeFileSync(README, `${text.slice(0, start + START.length)}\n${lines.join('\n')}\n${text.slice(end)}`);
}

if (process.argv[2] === '--child') {
  child(process.argv.slice(3));
} else if (require.main === module) {
  main();
}

export { main as synthBench };
