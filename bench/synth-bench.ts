/**
 * Synthesis cost at platform scale: the library against the same YAML written with plain cdk8s
 * ApiObjects. Each case runs in its own child process so its peak memory is its own.
 *
 *   npx projen bench              # full run: synthesis, then the offline tools (bench/routing-bench.ts)
 *   npx projen bench -- --quick   # smaller synthesis sizes, for trying changes
 *   npx projen bench -- --routing # the offline tools only
 *   npx projen bench -- --synth   # GitOpsApp, plain App and hand-written ApiObjects (bench/gitops-bench.ts)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { synthBench } from './gitops-bench';
import { declare, Variant } from './workload';

interface Measurement {
  readonly variant: Variant;
  readonly services: number;
  readonly charts: number;
  readonly objects: number;
  readonly seconds: number;
  readonly peakMiB: number;
}

const OBJECTS_PER_SERVICE = 4;

function synthOnce(variant: Variant, services: number, charts: number, outdir: string): void {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  declare(app, variant, services, charts);
  app.synth();
}

/** A memory-backed folder when the machine has one, so disk latency does not blur the timings. */
const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function measure(variant: Variant, services: number, charts: number): Measurement {
  const outdir = fs.mkdtempSync(path.join(SCRATCH, 'bench-'));
  // An untimed run first, so both variants are timed with warm code rather than with the JIT's
  // start-up (which weighs more on the library's larger code at small sizes).
  synthOnce(variant, Math.min(services, 2000), Math.min(charts, 2000), outdir);
  global.gc?.();
  const start = process.hrtime.bigint();
  synthOnce(variant, services, charts, outdir);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { variant, services, charts, objects: services * OBJECTS_PER_SERVICE, seconds, peakMiB: process.resourceUsage().maxRSS / 1024 };
}

/** Runs one case once in a fresh process. */
function runCase(variant: Variant, services: number, charts: number): Measurement {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--case', variant, String(services), String(charts)], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Runs both variants `repeats` times, alternating so that drift in the machine's load hits both
 * alike, and keeps each variant's median run: on a shared machine single runs vary by a quarter,
 * and the fastest run of a noisy series says more about luck than about the code.
 */
function runPair(services: number, charts: number, repeats: number): Record<Variant, Measurement> {
  const runs: Record<Variant, Measurement[]> = { baseline: [], library: [] };
  for (let r = 0; r < repeats; r++) {
    for (const variant of ['baseline', 'library'] as Variant[]) {
      runs[variant].push(runCase(variant, services, charts));
    }
  }
  const median = (ms: Measurement[]) => [...ms].sort((a, b) => a.seconds - b.seconds)[Math.floor(ms.length / 2)];
  return { baseline: median(runs.baseline), library: median(runs.library) };
}

/** Both variants must write the same bytes, or the comparison means nothing. */
function checkSameYaml(services: number): void {
  const yamlOf = (variant: Variant) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-same-')) });
    declare(app, variant, services, 1);
    return app.synthYaml();
  };
  if (yamlOf('library') !== yamlOf('baseline')) {
    throw new Error('the baseline does not write the same YAML as the library: fix bench/workload.ts before comparing times');
  }
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [200, 2000] : [1000, 10000];
  const chartCounts = quick ? [50, 100, 200] : [100, 200, 400, 800];
  // Short runs are noisier, so they are repeated more often.
  const repeatsFor = (services: number) => (quick ? 1 : services <= 1000 ? 9 : 7);
  checkSameYaml(20);

  console.log(`## One chart (${OBJECTS_PER_SERVICE} objects per service, median of ${sizes.map(repeatsFor).join(' and ')} runs)\n`);
  console.log(row(['services', 'variant', 'seconds', 'peak MiB', 'objects/s']));
  console.log(row(['---:', '---', '---:', '---:', '---:']));
  const single = new Map<string, Measurement>();
  for (const services of sizes) {
    const pair = runPair(services, 1, repeatsFor(services));
    for (const variant of ['baseline', 'library'] as Variant[]) {
      const m = pair[variant];
      single.set(`${variant}-${services}`, m);
      console.log(row([services, variant, m.seconds.toFixed(2), m.peakMiB.toFixed(0), Math.round(m.objects / m.seconds)]));
    }
  }
  console.log('');
  for (const services of sizes) {
    const ratio = single.get(`library-${services}`)!.seconds / single.get(`baseline-${services}`)!.seconds;
    console.log(`library/baseline time at ${services} services: ${ratio.toFixed(2)} (target <= 1.2)`);
  }
  const [small, large] = sizes;
  const growth = single.get(`library-${large}`)!.seconds / single.get(`library-${small}`)!.seconds;
  console.log(`library time at ${large} / at ${small} services: ${growth.toFixed(2)} for ${large / small}x the services (target <= ${(large / small) * 1.1})`);

  console.log('\n## Many charts (one service per chart: cdk8s validates the whole app once per chart)\n');
  console.log(row(['charts', 'variant', 'seconds', 'seconds per chart']));
  console.log(row(['---:', '---', '---:', '---:']));
  for (const charts of chartCounts) {
    const pair = runPair(charts, charts, 1);
    for (const variant of ['baseline', 'library'] as Variant[]) {
      const m = pair[variant];
      console.log(row([charts, variant, m.seconds.toFixed(2), (m.seconds / charts * 1000).toFixed(1) + ' ms']));
    }
  }
}

/** The routing benchmark (bench/routing-bench.ts) in its own process, so its heap is its own. */
function routing(): void {
  execFileSync(process.execPath, [...process.execArgv, path.join(__dirname, 'routing-bench.ts')], { stdio: 'inherit' });
}

if (process.argv[2] === '--case') {
  const [variant, services, charts] = process.argv.slice(3);
  console.log(JSON.stringify(measure(variant as Variant, Number(services), Number(charts))));
} else if (process.argv.includes('--synth')) {
  synthBench();
} else if (process.argv.includes('--routing')) {
  routing();
} else {
  main();
  routing();
}
