import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './gitops-fixtures';

/**
 * A worker thread that dies without replying (an uncaught error while it loads or works, a script
 * that cannot be loaded, a script that ends) must make `finish()` fail, not wait forever: the
 * synthesis would hang. The wait blocks the thread it runs on, so it runs in a child process that
 * is killed when it takes too long.
 */

const ROOT = path.join(__dirname, '..');
const COMPILED = path.join(ROOT, 'lib', 'src', 'gitops', 'blocking-worker.js');
const WAIT_MS = 10_000;

/** The child runs the compiled library; a stale lib/ would test old code. */
function assertCompiled(): void {
  const source = path.join(ROOT, 'src', 'gitops', 'blocking-worker.ts');
  if (!fs.existsSync(COMPILED) || fs.statSync(COMPILED).mtimeMs < fs.statSync(source).mtimeMs) {
    throw new Error('lib/ is older than src/gitops/blocking-worker.ts: run `npx projen compile` before the tests');
  }
}

const CHILD = `
const os = require('os');
const cpu = os.cpus()[0];
os.cpus = () => [cpu, cpu];
const { BlockingWorker } = require(${JSON.stringify(COMPILED)});
const [script, evaluated] = process.argv.slice(2);
const worker = BlockingWorker.start(script, { eval: evaluated === 'eval' });
worker.post('objects');
try {
  worker.finish();
  console.log('no error');
} catch (e) {
  console.log('threw: ' + e.message);
}
`;

/** Runs the child; resolves with what it printed, or 'still waiting' when it had to be killed. */
function finishInChild(script: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'still waiting' : stdout.trim());
    });
  });
}

describe('a worker thread that dies without replying makes finish() throw instead of waiting forever', () => {
  test('an uncaught error in the worker', async () => {
    // GIVEN a worker that throws before it could reply
    assertCompiled();
    const script = path.join(tempDir('gitops-threads-crash-'), 'finish.js');
    fs.writeFileSync(script, CHILD);

    // WHEN the main thread waits for it
    const outcome = await finishInChild(script, "throw new Error('the worker broke')", 'eval');

    // THEN it gets that error back
    expect(outcome).toEqual('threw: the worker broke');
  }, WAIT_MS * 2);

  test('an error thrown later, outside any handler of the worker', async () => {
    // GIVEN a worker whose timer throws after it started
    assertCompiled();
    const script = path.join(tempDir('gitops-threads-crash-'), 'finish.js');
    fs.writeFileSync(script, CHILD);

    // WHEN / THEN
    expect(await finishInChild(script, "setTimeout(() => { throw new Error('late failure'); }, 10)", 'eval')).toEqual('threw: late failure');
  }, WAIT_MS * 2);

  test('a worker that ends without replying', async () => {
    // GIVEN a worker that does nothing and ends
    assertCompiled();
    const script = path.join(tempDir('gitops-threads-crash-'), 'finish.js');
    fs.writeFileSync(script, CHILD);

    // WHEN / THEN
    expect(await finishInChild(script, "require('worker_threads').parentPort.close()", 'eval'))
      .toEqual('threw: a worker thread of the synthesis ended without a reply');
  }, WAIT_MS * 2);

  test('a worker script that cannot be loaded', async () => {
    // GIVEN a worker script that does not exist (the constructor does not throw for it)
    assertCompiled();
    const work = tempDir('gitops-threads-crash-');
    const script = path.join(work, 'finish.js');
    fs.writeFileSync(script, CHILD);

    // WHEN / THEN
    expect(await finishInChild(script, path.join(work, 'missing', 'plan-worker.js'))).toMatch(/^threw: Cannot find module '.*plan-worker\.js'/);
  }, WAIT_MS * 2);
});
