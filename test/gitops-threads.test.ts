import { spawn } from 'child_process';
import * as fs from 'fs';
import osModule from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { folderSnapshot, tempDir } from './gitops-fixtures';
import * as lib from '../src';
import { renderApp } from '../src/gitops/app-output';
import { BlockingWorker } from '../src/gitops/blocking-worker';
import { inspectOutputFolder } from '../src/gitops/output-folder';
import { recoverInterruptedWrite, StagedOutput, stagingFolders } from '../src/gitops/output-swap';
import { OWNED_FILES, OWNED_FILES_NEXT, ownedFilesText } from '../src/gitops/owned-files';
import { PendingPlans } from '../src/gitops/traffic-plans';

const ROOT = path.join(__dirname, '..');
const COMPILED = path.join(ROOT, 'lib', 'src', 'index.js');
const TIMEOUT_MS = 300_000;

afterEach(() => jest.restoreAllMocks());

/** Makes `BlockingWorker.start` see two cores, so a worker is started on any machine. */
function twoCores(): void {
  const cpu = osModule.cpus()[0];
  jest.spyOn(osModule, 'cpus').mockReturnValue([cpu, cpu]);
}

/**
 * A worker following `BlockingWorker`'s protocol: it collects the messages it is given and, when
 * the main thread waits (`null`), replies with what `REPLY` (a function of the messages and
 * `workerData`) returns.
 */
function protocolWorker(reply: string): string {
  return `
const { parentPort, workerData } = require('worker_threads');
const received = [];
const REPLY = ${reply};
parentPort.on('message', (message) => {
  if (message !== null) {
    received.push(message);
    return;
  }
  workerData.port.postMessage(REPLY(received, workerData));
  const done = new Int32Array(workerData.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  workerData.port.close();
  parentPort.close();
});
`;
}

describe('BlockingWorker', () => {
  test('finish() returns the value of the reply, computed from every message posted before it', () => {
    // GIVEN a worker that replies with the messages it got and its workerData
    twoCores();
    const worker = BlockingWorker.start(protocolWorker('(received, data) => ({ ok: true, value: { received, chart: data.chart } })'), {
      eval: true, workerData: { chart: 'shop' },
    });
    expect(worker).toBeDefined();

    // WHEN two messages are posted and the main thread waits
    worker!.post('first');
    worker!.post({ second: [1, 2] });
    const value = worker!.finish();

    // THEN the reply's value comes back, in posting order
    expect(value).toEqual({ received: ['first', { second: [1, 2] }], chart: 'shop' });
  });

  test('an error reply is thrown with its message and code', () => {
    // GIVEN a worker that replies with an error
    twoCores();
    const worker = BlockingWorker.start(protocolWorker("() => ({ ok: false, error: { message: 'plans failed: bad route', code: 'EPLAN' } })"), { eval: true });
    worker!.post('objects');

    // WHEN / THEN
    let thrown: any;
    try {
      worker!.finish();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown.message).toBe('plans failed: bad route');
    expect(thrown.code).toBe('EPLAN');
  });

  test('a reply without a value returns undefined; waiting twice is an internal error', () => {
    // GIVEN
    twoCores();
    const worker = BlockingWorker.start(protocolWorker('() => ({ ok: true })'), { eval: true });

    // WHEN / THEN
    expect(worker!.finish()).toBeUndefined();
    expect(() => worker!.finish()).toThrow('internal error: a worker thread was waited for twice');
  });

  test('a worker stopped before finish() is terminated and does not keep the process alive', async () => {
    // GIVEN a worker that would keep its thread busy forever and never replies
    twoCores();
    const worker = BlockingWorker.start('setInterval(() => {}, 1000);', { eval: true });
    const thread = (worker as any).worker as import('worker_threads').Worker;
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    await new Promise((resolve) => thread.once('online', resolve));
    worker!.post('objects');

    // WHEN it is stopped (the synthesis failed), twice
    worker!.stop();
    worker!.stop();

    // THEN its thread ends (terminate() exits with code 1) and the test completes
    await expect(exited).resolves.toBe(1);
  });

  test('a worker that does not answer in time is stopped, and finish() throws ETIMEDOUT', async () => {
    // GIVEN a worker that stays alive and never replies (as a thread that ran out of memory)
    twoCores();
    const worker = BlockingWorker.start('setInterval(() => {}, 1000);', { eval: true });
    const thread = (worker as any).worker as import('worker_threads').Worker;
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));

    // WHEN the main thread waits at most 200 ms
    const started = Date.now();
    let thrown: any;
    try {
      worker!.finish(200);
    } catch (e) {
      thrown = e;
    }

    // THEN it gets a timeout error soon after, and the thread is stopped
    expect(thrown?.code).toBe('ETIMEDOUT');
    expect(thrown?.message).toContain('did not answer');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(exited).resolves.toBe(1);
  });

  test('with a single core no worker is started: the caller does the work', () => {
    // GIVEN
    jest.spyOn(osModule, 'cpus').mockReturnValue([osModule.cpus()[0]]);

    // WHEN / THEN
    expect(BlockingWorker.start(protocolWorker('() => ({ ok: true, value: 1 })'), { eval: true })).toBeUndefined();
  });
});

/**
 * The app of the equivalence test, as JavaScript run against the compiled library in the child and
 * against the TypeScript sources here: 2,500 blue/green and canary releases with external hosts on a
 * referenced gateway over 3 charts (10,000 objects, enough for the plan thread), and a chart with
 * only a ConfigMap, so it gets a candidate TRAFFIC.md in the staging marker but no plan.
 */
const DECLARE_APP = `
const gateway = lib.GatewayBinding.fromReference('istio-system/public-gateway');
const ports = [{ port: 80, protocol: lib.PortProtocol.HTTP }];
const charts = [0, 1, 2].map((c) => new Chart(app, 'chart-' + c));
for (let i = 0; i < 2500; i++) {
  const name = 'svc-' + i;
  const common = { serviceName: name, namespace: 'ns-' + (i % 4), ports, hosts: [name + '.example.com'], gateway };
  if (i % 2 === 0) {
    new lib.BlueGreen(charts[i % 3], name, { ...common, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: i % 4 === 0 ? 'green' : 'blue' });
  } else {
    new lib.Canary(charts[i % 3], name, { ...common, stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: i % 50 });
  }
}
const config = new Chart(app, 'config');
new ApiObject(config, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'ns-0' }, data: { a: '1' } });
`;

const CHILD = `
const fs = require('fs');
const os = require('os');
// two cores whatever the machine has, so the plan thread is started
const cpu = os.cpus()[0];
os.cpus = () => [cpu, cpu];
const workerThreads = require('worker_threads');
const started = [];
const Original = workerThreads.Worker;
workerThreads.Worker = class extends Original {
  constructor(script, options) {
    super(script, options);
    started.push(String(script));
  }
};
const { ApiObject, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});
const lib = require(${JSON.stringify(COMPILED)});
const [outdir, report] = process.argv.slice(2);
const app = new lib.GitOpsApp({ outdir, checkRetirement: false });
${DECLARE_APP}
app.synth();
fs.writeFileSync(report, JSON.stringify(started));
`;

/** The child runs the compiled library; a stale lib/ would test old code. */
function assertCompiled(): void {
  const sources = ['gitops-app.ts', ...fs.readdirSync(path.join(ROOT, 'src', 'gitops')).map((f) => `gitops/${f}`)];
  const compiledAt = fs.existsSync(COMPILED) ? fs.statSync(COMPILED).mtimeMs : 0;
  const newer = sources.filter((f) => fs.statSync(path.join(ROOT, 'src', f)).mtimeMs > compiledAt);
  const worker = path.join(ROOT, 'lib', 'src', 'gitops', 'plan-worker.js');
  if (newer.length > 0 || !fs.existsSync(worker) || fs.statSync(worker).mtimeMs < fs.statSync(path.join(ROOT, 'src', 'gitops', 'plan-worker.ts')).mtimeMs) {
    throw new Error(`lib/ is older than src/${newer.join(', src/')}: run \`npx projen compile\` before the tests`);
  }
}

function runChild(script: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`synthesis failed (${code ?? signal}): ${stderr}`))));
  });
}

/** Every regular file below `dir`, relative with `/`, sorted. */
function filesBelow(dir: string): string[] {
  return folderSnapshot(dir).filter((line) => line.includes(' file ')).map((line) => line.slice(0, line.indexOf(' file '))).sort();
}

test('traffic plans computed on a worker thread are byte for byte those computed inline', async () => {
  // GIVEN the compiled library synthesizing 10,001 objects in a child process that counts the
  // worker threads it starts
  assertCompiled();
  const work = tempDir('gitops-threads-');
  const script = path.join(work, 'synth.js');
  const report = path.join(work, 'workers.json');
  const outdir = path.join(work, 'dist');
  fs.writeFileSync(script, CHILD);

  // WHEN the child synthesizes the app (threaded plans), and the same app is rendered here from the
  // TypeScript sources, where there is no compiled plan-worker.js (inline plans)
  await runChild(script, outdir, report);
  expect(fs.existsSync(path.join(ROOT, 'src', 'gitops', 'plan-worker.js'))).toBe(false);
  const app = new lib.GitOpsApp({ outdir: path.join(work, 'unused') });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('lib', 'app', 'Chart', 'ApiObject', DECLARE_APP)(lib, app, Chart, ApiObject);
  const output = renderApp(app, {});

  // THEN the child started exactly one worker, whose guarded source loads the compiled plan worker
  const started: string[] = JSON.parse(fs.readFileSync(report, 'utf8'));
  expect(started).toHaveLength(1);
  expect(started[0]).toContain(`require(${JSON.stringify(path.join(ROOT, 'lib', 'src', 'gitops', 'plan-worker.js'))});`);

  // AND its output folder holds exactly the inline files, same bytes, and the marker listing them
  const expected = [...output.files.keys()].sort();
  expect(expected.filter((f) => f.endsWith('/TRAFFIC.md'))).toEqual(['chart-0/TRAFFIC.md', 'chart-1/TRAFFIC.md', 'chart-2/TRAFFIC.md']);
  expect(expected.length).toBe(10_001 + 3);
  expect(filesBelow(outdir)).toEqual([OWNED_FILES, ...expected].sort());
  const different = expected.filter((file) => fs.readFileSync(path.join(outdir, file), 'utf8') !== output.files.get(file));
  expect(different).toEqual([]);
  expect(fs.readFileSync(path.join(outdir, OWNED_FILES), 'utf8')).toBe(ownedFilesText(expected));

  // AND nothing is left beside it: the staging folder was swapped in
  expect(fs.readdirSync(work).sort()).toEqual(['dist', 'synth.js', 'workers.json']);
  fs.rmSync(work, { recursive: true, force: true });
}, TIMEOUT_MS);

test('traffic plans from a thread that never answers are computed by the main thread instead', () => {
  // GIVEN a plan thread that stays alive and never replies, and two charts worth of objects
  twoCores();
  const script = path.join(tempDir('plan-thread-'), 'silent.js');
  fs.writeFileSync(script, 'setInterval(() => {}, 1000);\n');
  const app = new lib.GitOpsApp({ outdir: path.join(tempDir('plan-thread-out-'), 'dist') });
  ['a', 'b'].forEach((name) => new lib.BlueGreen(new Chart(app, name), 'web', {
    serviceName: 'web',
    namespace: name,
    ports: [{ port: 80, protocol: lib.PortProtocol.HTTP }],
    versions: [{ name: 'blue' }, { name: 'green' }],
    activeVersion: 'green',
  }));
  const inline = renderApp(app, {}).files;
  const objects = [...renderApp(app, { trafficPlan: false }).objects];

  // WHEN the plans are handed to that thread (forced, whatever the size) and asked for
  const plans = PendingPlans.prepare(1_000_000, 2, { script, minimumPatienceMs: 200 });
  objects.forEach((o) => plans.add(o.object));
  plans.start(objects);
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
  const asked = Date.now();
  const result = plans.result();

  // THEN the main thread waited for the thread, then computed them all, the same bytes as without a thread
  expect(Date.now() - asked).toBeGreaterThanOrEqual(200);
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^a worker thread of the synthesis did not answer within \d+ (ms|s); the traffic plans are computed on the main thread instead$/));
  expect([...result.keys()]).toEqual(['a/TRAFFIC.md', 'b/TRAFFIC.md']);
  expect(result.get('a/TRAFFIC.md')).toEqual(inline.get('a/TRAFFIC.md'));
  expect(result.get('b/TRAFFIC.md')).toEqual(inline.get('b/TRAFFIC.md'));
});

describe('StagedOutput', () => {
  const OLD = new Map([
    ['shop/shop/Service.web.k8s.yaml', 'kind: Service\n'],
    ['shop/TRAFFIC.md', '# old plan\n'],
  ]);

  /** An output folder `dist` written by GitOpsApp with the OLD files, and its snapshot. */
  function existingOutput(): { dir: string; before: string[] } {
    const dir = path.join(tempDir('gitops-staged-'), 'dist');
    new StagedOutput(inspectOutputFolder(dir), OLD.keys()).commit(OLD);
    return { dir, before: folderSnapshot(dir) };
  }

  test('a listed candidate that is never written is left out of the marker and the folder', () => {
    // GIVEN a staging folder listing a candidate plan per chart, and one chart's files written early
    const { dir } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'config/ns/ConfigMap.a.k8s.yaml', 'config/TRAFFIC.md']);
    expect(fs.readFileSync(path.join(stagingFolders(dir).next, OWNED_FILES), 'utf8'))
      .toBe(ownedFilesText(['config/TRAFFIC.md', 'config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    staged.write('config/ns/ConfigMap.a.k8s.yaml', 'kind: ConfigMap\n');

    // WHEN the output turns out to have no plan for config
    const files = new Map([
      ['shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n'],
      ['config/ns/ConfigMap.a.k8s.yaml', 'kind: ConfigMap\n'],
      ['shop/TRAFFIC.md', '# new plan\n'],
    ]);
    staged.commit(files);

    // THEN the folder holds exactly those files and the marker lists exactly them
    expect(filesBelow(dir)).toEqual([OWNED_FILES, 'config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, OWNED_FILES), 'utf8')).toBe(ownedFilesText(['config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    files.forEach((content, file) => expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(content));
    expect(fs.existsSync(path.join(dir, 'config', 'TRAFFIC.md'))).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    // and the next synthesis accepts the folder as its own
    expect(inspectOutputFolder(dir).owned).toEqual(new Set(files.keys()));
  });

  test('a file written early that the output no longer holds is removed and left out of the marker', () => {
    // GIVEN two files written early
    const { dir } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/a.k8s.yaml', 'shop/b.k8s.yaml']);
    staged.write('shop/a.k8s.yaml', 'kind: A\n');
    staged.write('shop/b.k8s.yaml', 'kind: B\n');

    // WHEN the output turns out to hold only one of them
    staged.commit(new Map([['shop/a.k8s.yaml', 'kind: A\n']]));

    // THEN only that one is there, and the marker lists exactly it
    expect(filesBelow(dir)).toEqual([OWNED_FILES, 'shop/a.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, OWNED_FILES), 'utf8')).toBe(ownedFilesText(['shop/a.k8s.yaml']));
    expect(inspectOutputFolder(dir).owned).toEqual(new Set(['shop/a.k8s.yaml']));
  });

  test('a staging folder left with both markers (a crash before the rename) is removed by recovery', () => {
    // GIVEN a staging folder with a file written early and the marker's replacement written but
    // not yet renamed over it
    const { dir, before } = existingOutput();
    const { next } = stagingFolders(dir);
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'config/TRAFFIC.md']);
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    fs.writeFileSync(path.join(next, OWNED_FILES_NEXT), ownedFilesText(['shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    expect(filesBelow(next)).toEqual([OWNED_FILES, OWNED_FILES_NEXT, 'shop/shop/Service.web.k8s.yaml']);

    // WHEN the next synthesis starts
    recoverInterruptedWrite(dir);

    // THEN the staging folder is gone and the output is as it was
    expect(fs.existsSync(next)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('a staging folder holding a file that neither marker lists is refused, and left alone', () => {
    // GIVEN both markers and a file someone put there
    const { dir, before } = existingOutput();
    const { next } = stagingFolders(dir);
    new StagedOutput(inspectOutputFolder(dir), ['shop/TRAFFIC.md']);
    fs.writeFileSync(path.join(next, OWNED_FILES_NEXT), ownedFilesText([]));
    fs.writeFileSync(path.join(next, 'notes.md'), 'mine\n');
    const staging = folderSnapshot(next);

    // WHEN / THEN
    expect(() => recoverInterruptedWrite(dir)).toThrow(`'${next}' is in the way: GitOpsApp keeps its unfinished output there, but it holds 'notes.md' that GitOpsApp did not write; move it away`);
    expect(folderSnapshot(next)).toEqual(staging);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('writing a file that is not listed throws and writes nothing', () => {
    // GIVEN
    const { dir } = existingOutput();
    const { next } = stagingFolders(dir);
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml']);

    // WHEN / THEN
    expect(() => staged.write('shop/TRAFFIC.md', '# plan\n')).toThrow("internal error: 'shop/TRAFFIC.md' is written before it is listed in the staging marker");
    expect(filesBelow(next)).toEqual([OWNED_FILES]);
  });

  test('discard() removes the staging folder and leaves the output as it was', () => {
    // GIVEN a staging folder with files written in nested folders, beside an existing output
    const { dir, before } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'api/a/b/Service.api.k8s.yaml']);
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    staged.write('api/a/b/Service.api.k8s.yaml', 'kind: Service\n');

    // WHEN
    staged.discard();

    // THEN
    expect(fs.existsSync(stagingFolders(dir).next)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('discard() of a first output leaves no output folder', () => {
    // GIVEN no output folder yet
    const dir = path.join(tempDir('gitops-staged-'), 'dist');
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/TRAFFIC.md']);
    staged.write('shop/TRAFFIC.md', '# plan\n');

    // WHEN
    staged.discard();

    // THEN
    expect(fs.readdirSync(path.dirname(dir))).toEqual([]);
  });
});
