/**
 * Fleet synthesis cost: the same services on more and more clusters, every delivery engine on, into a
 * fresh folder (no baseline) and again over that output (every cluster judged against its previous
 * output). Time and output should grow linearly with clusters × services.
 *
 *   npx projen bench:fleet            # 10, 20 and 40 clusters of 250 services
 *   npx projen bench:fleet -- --quick # 5 and 10 clusters of 100 services
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { addLibraryService } from './workload';
import { FleetApp, FleetDelivery } from '../src';

const SCRATCH = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function synthFleet(outdir: string, clusters: number, services: number): number {
  const names = Array.from({ length: clusters }, (_, i) => `c-${i}`);
  const fleet = new FleetApp({
    name: 'bench',
    outdir,
    clusters: names.map((name, i) => ({ name, labels: { index: String(i) }, kuratorFleet: 'bench' })),
    stages: [{ name: 'first', clusters: names.slice(0, 1) }, { name: 'rest', clusters: names.slice(1) }],
    deliveries: [
      FleetDelivery.argoCdApplicationSet({ repoUrl: 'https://git.example.com/d.git', repoPath: 'd' }),
      FleetDelivery.flux({ gitRepository: 'd', repoPath: 'd' }),
      FleetDelivery.kurator({ source: { url: 'https://git.example.com/d.git' }, repoPath: 'd' }),
    ],
  });
  for (const cluster of fleet.clusters) {
    const chart = new Chart(cluster.app, 'services');
    for (let i = 0; i < services; i++) {
      addLibraryService(chart, i);
    }
  }
  const start = process.hrtime.bigint();
  fleet.synth();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const services = quick ? 100 : 250;
  const sizes = quick ? [5, 10] : [10, 20, 40];
  console.log('| clusters | services per cluster | objects | first synth (s) | again, judged against it (s) | µs per object (again) |');
  console.log('|---|---|---|---|---|---|');
  for (const clusters of sizes) {
    const dir = fs.mkdtempSync(path.join(SCRATCH, 'fleet-bench-'));
    const outdir = path.join(dir, 'dist');
    try {
      synthFleet(outdir, clusters, Math.min(services, 20));
      fs.rmSync(outdir, { recursive: true, force: true });
      global.gc?.();
      const first = synthFleet(outdir, clusters, services);
      global.gc?.();
      const again = synthFleet(outdir, clusters, services);
      const objects = clusters * services * 4;
      console.log(`| ${clusters} | ${services} | ${objects} | ${first.toFixed(2)} | ${again.toFixed(2)} | ${((again / objects) * 1e6).toFixed(0)} |`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main();
