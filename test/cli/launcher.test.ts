import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const LAUNCHER = path.join(ROOT, 'bin', 'cdk8s-istio-traffic');
const COMPILED = path.join(ROOT, 'lib', 'src', 'cli', 'run-cli.js');
const SOURCES = ['src/cli', 'src/plan'].flatMap((d) => fs.readdirSync(path.join(ROOT, d)).map((f) => path.join(ROOT, d, f)));

/** The launcher runs compiled code; testing a stale lib/ would pass or fail for the wrong reasons. */
function assertCompiled(): void {
  if (!fs.existsSync(COMPILED)) {
    throw new Error(`${path.relative(ROOT, COMPILED)} is missing: compile first (npx jsii, or npx projen compile), then rerun the tests`);
  }
  const compiledAt = fs.statSync(COMPILED).mtimeMs;
  const newer = SOURCES.filter((f) => fs.statSync(f).mtimeMs > compiledAt);
  if (newer.length > 0) {
    throw new Error(`lib/ is older than ${newer.map((f) => path.relative(ROOT, f)).join(', ')}: compile first (npx jsii), then rerun the tests`);
  }
}

function launch(...args: string[]) {
  assertCompiled();
  return spawnSync(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('bin/cdk8s-istio-traffic', () => {
  test('--help prints the usage and exits 0', () => {
    // WHEN the real launcher runs in a child process
    const run = launch('--help');
    // THEN it prints the tool usage
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('usage: cdk8s-istio-traffic <command> [options] <file-or-dir>...');
  });

  test('route answers from the committed example', () => {
    // WHEN routing a request through the web-echo gateway
    const run = launch('route', '--gateway', 'web-echo/service-mesh-tls-gateway', '--host', 'service-mesh.dev', '--port', '443',
      '--cookie', 'x-version=v2', 'examples/web-echo/dist');
    // THEN the cookie rule sends it to v2
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('100% → blue-green-service.web-echo.svc.cluster.local:8600 subset v2');
    expect(run.stdout).toContain('rule: VirtualService web-echo/blue-green-service-ingress http[2].match[0]');
  });

  test('route answers from the committed Gateway API example, naming the HTTPRoute rule', () => {
    // WHEN routing the same request through the Gateway API output of web-echo
    const run = launch('route', '--gateway', 'web-echo/service-mesh-tls-gateway', '--host', 'service-mesh.dev', '--port', '443',
      '--cookie', 'x-version=v2', 'examples/web-echo-gateway-api/dist');
    // THEN it reaches the v2 Service, decided by the cookie rule of the ingress HTTPRoute
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('100% → blue-green-service-v2.web-echo.svc.cluster.local:8600 (all endpoints)');
    expect(run.stdout).toContain('rule: HTTPRoute web-echo/blue-green-service-ingress rules[4].matches[0]');
  });

  test('fails with exit code 2 and a one-line message for a missing folder', () => {
    const run = launch('plan', 'no-such-dir');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("cdk8s-istio-traffic: cannot read 'no-such-dir': no such file or directory\n");
  });
});
