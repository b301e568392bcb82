import * as fs from 'fs';
import * as path from 'path';
import { cli, EXAMPLES, MISSING_SUBSET, tempManifests } from './cli-helpers';
import { RouteOutcome } from '../../src';

const WEB_ECHO = path.join(EXAMPLES, 'web-echo', 'dist');
const COLOR = path.join(EXAMPLES, 'color', 'dist');
const GW = 'web-echo/service-mesh-tls-gateway';

describe('route', () => {
  test('prints outcome, status, destination, rewritten path and the deciding rule', () => {
    // WHEN a v2 request enters the web-echo gateway over HTTPS
    const run = cli('route', '--gateway', GW, '--host', 'service-mesh.dev', '--port', '443', '--path', '/v2/echo', WEB_ECHO);
    // THEN the prefix rule rewrites to / and sends everything to v2
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('outcome: ROUTED\nstatus: 200\n');
    expect(run.stdout).toContain('100% → blue-green-service.web-echo.svc.cluster.local:8600 subset v2');
    expect(run.stdout).toContain('path: /echo');
    expect(run.stdout).toContain('rule: VirtualService web-echo/blue-green-service-ingress http[1].match[0]');
  });

  test('--cookie opts in to v2 and --json prints the RouteResult', () => {
    // WHEN a request carrying the opt-in cookie among others is simulated as JSON
    const run = cli('route', '--json', '--gateway', GW, '--host', 'service-mesh.dev', '--port=443', '--cookie', 'a=1; x-version=v2', WEB_ECHO);
    // THEN the JSON is the simulator's result
    const result = JSON.parse(run.stdout);
    expect(run.code).toBe(0);
    expect(result.outcome).toBe(RouteOutcome.ROUTED);
    expect(result.destinations).toEqual([expect.objectContaining({ subset: 'v2', percentage: 100, healthy: true })]);
    expect(result.rule).toEqual({ namespace: 'web-echo', name: 'blue-green-service-ingress', kind: 'http', ruleIndex: 2, matchIndex: 0 });
  });

  test('mesh requests use --from-namespace, and the split shows both shares', () => {
    // WHEN a pod in namespace color calls the service on its port
    const run = cli('route', '--from-namespace', 'color', '--from-label', 'app=client', '--host', 'color-service', '--port', '8000', '--path', '/color', COLOR);
    // THEN both destinations are listed with their percentages
    expect(run.stdout).toContain('75% → color-service.color.svc.cluster.local:8000 subset blue');
    expect(run.stdout).toContain('25% → color-service.color.svc.cluster.local:8000 subset green');
  });

  test('--tcp and --header reach the simulator', () => {
    // WHEN a blue pod opens a TCP connection to mysql
    const tcp = cli('route', '--tcp', '--from-namespace', 'pii-demo', '--from-label', 'version=blue', '--host', 'mysql-server', path.join(EXAMPLES, 'pii-demo'));
    // THEN the sourceLabels rule picks the blue subset
    expect(tcp.stdout).toContain('subset blue');
    expect(tcp.stdout).toContain('rule: VirtualService pii-demo/mysql-server-mesh tcp[0].match[0]');
    // AND a header that does not opt in stays on v1
    const header = cli('route', '--gateway', GW, '--host', 'service-mesh.dev', '--port', '443', '--header', 'cookie=x-version=v1', WEB_ECHO);
    expect(header.stdout).toContain('subset v1');
  });

  test('fails without --host, with a usage error', () => {
    const run = cli('route', WEB_ECHO);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("cdk8s-istio-traffic: option '--host' is required\nrun 'cdk8s-istio-traffic route --help' for usage\n");
  });

  test('fails for an unknown gateway, naming the known ones, without a stack trace', () => {
    const run = cli('route', '--gateway', 'x/y', '--host', 'a', '--port', '80', WEB_ECHO);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("cdk8s-istio-traffic: gateway 'x/y' is not in the manifests (known gateways: web-echo/service-mesh-tls-gateway)\n");
  });

  test('fails for a malformed --port or --from-label', () => {
    expect(cli('route', '--host', 'a', '--port', '80x', WEB_ECHO).stderr).toContain("option '--port' expects a port number 1-65535, got '80x'");
    expect(cli('route', '--host', 'a', '--from-label', 'blue', WEB_ECHO).stderr).toContain("option '--from-label' expects key=value, got 'blue'");
  });
});

describe('plan', () => {
  test('prints the Markdown tables followed by a mermaid block', () => {
    // WHEN planning the web-echo example
    const run = cli('plan', WEB_ECHO);
    // THEN the table and the diagram are both there
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| gateway web-echo/service-mesh-tls-gateway | service-mesh.dev | 3 | cookie x-version=v2 | v2 100% | - |');
    expect(run.stdout).toContain('```mermaid\nflowchart LR\n');
  });

  test('--mermaid prints only the diagram', () => {
    const run = cli('plan', '--mermaid', COLOR);
    expect(run.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(run.stdout).toContain('gw_1["1. path /color…"] -->|"75%"| gw_blue("blue"):::blue');
    expect(run.stdout).not.toContain('| Entry point');
  });

  test('accepts several files and folders, including hand-written ones', () => {
    const dir = tempManifests({ 'reviews.yml': MISSING_SUBSET });
    const run = cli('plan', COLOR, path.join(dir, 'reviews.yml'));
    expect(run.stdout).toContain('## color-service.color');
    expect(run.stdout).toContain('| mesh | reviews.shop | 1 | any request | v3 100% | - |');
  });
});

describe('check', () => {
  test('exits 0 on the clean examples', () => {
    const run = cli('check', path.join(EXAMPLES));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('ERROR');
  });

  test('exits 1 and prints code, severity, object, message and fix for a missing subset', () => {
    // GIVEN a hand-written VirtualService routing to an undefined subset
    const dir = tempManifests({ 'app/reviews.yaml': MISSING_SUBSET });
    // WHEN checking the folder
    const run = cli('check', dir);
    // THEN the finding names the object and the subset, and the exit code is 1
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ERROR IST0101 VirtualService shop\/reviews \S+/m);
    expect(run.stdout).toContain('v3');
    expect(run.stdout).toMatch(/\n {2}fix: \S/);
    expect(run.stdout).toMatch(/\d+ findings?: [1-9]\d* error\(s\)/);
  });

  test('--ignore drops a code and --json prints the findings', () => {
    const dir = tempManifests({ 'reviews.yaml': MISSING_SUBSET });
    const ignored = cli('check', '--ignore', 'IST0101', dir);
    expect(ignored.stdout).not.toContain('IST0101');
    const json = JSON.parse(cli('check', '--json', dir).stdout);
    expect(json).toContainEqual(expect.objectContaining({ code: 'IST0101', severity: 'ERROR', kind: 'VirtualService', name: 'reviews' }));
  });
});

describe('input errors', () => {
  test('fails for a missing file, naming it, exit code 2', () => {
    const run = cli('plan', '/no/such/dist');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("cdk8s-istio-traffic: cannot read '/no/such/dist': no such file or directory\n");
  });

  test('fails for broken YAML, naming file and line, without a stack trace', () => {
    // GIVEN a second document with an unterminated flow sequence on line 6
    const dir = tempManifests({ 'a/ok.yaml': 'kind: Namespace\n', 'b/broken.yaml': 'kind: Namespace\n---\nkind: Service\nspec:\n  ports: [1, 2\n  selector: 3\n' });
    // WHEN checking the folder
    const run = cli('check', dir);
    // THEN the message points at file:line:column
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^cdk8s-istio-traffic: ${path.join(dir, 'b', 'broken.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:3: invalid yaml: flow sequence`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('fails for an unreadable directory, naming it', () => {
    // GIVEN a folder whose subfolder cannot be listed (simulated: tests may run as root, who reads anything)
    const dir = tempManifests({ 'x.yaml': 'kind: Namespace\n', 'locked/y.yaml': 'kind: Namespace\n' });
    const locked = path.join(dir, 'locked');
    // the module object itself: `import * as` namespaces cannot be spied on
    const realFs = jest.requireActual<typeof fs>('fs');
    const readdir = realFs.readdirSync;
    const spy = jest.spyOn(realFs, 'readdirSync').mockImplementation(((p: fs.PathLike, o: any) => {
      if (String(p) === locked) {
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
      }
      return readdir(p, o);
    }) as any);
    try {
      // WHEN planning the folder
      const run = cli('plan', dir);
      // THEN the unreadable folder is named
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`cdk8s-istio-traffic: cannot read directory '${locked}': permission denied\n`);
    } finally {
      spy.mockRestore();
    }
  });

  test('fails without files', () => {
    const run = cli('check');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no manifest files or folders given');
  });
});

describe('usage', () => {
  test('--help prints the tool usage with every command', () => {
    const run = cli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: cdk8s-istio-traffic <command> \[options\] <file-or-dir>\.\.\./);
    for (const command of ['route', 'plan', 'check']) {
      expect(run.stdout).toContain(`\n  ${command} `);
    }
  });

  test.each([
    ['route', '--gateway <ns/name>'],
    ['plan', '--mermaid'],
    ['check', '--known-gateway <ns/name>'],
  ])('%s --help prints its options', (command, option) => {
    const run = cli(command, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`usage: cdk8s-istio-traffic ${command} `);
    expect(run.stdout).toContain(option);
    expect(cli(command, '-h').stdout).toBe(run.stdout);
  });

  test('fails for an unknown command with exit code 2', () => {
    const run = cli('deploy', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("cdk8s-istio-traffic: unknown command 'deploy'\nrun 'cdk8s-istio-traffic --help' for usage\n");
  });

  test('fails for an unknown option with exit code 2', () => {
    const run = cli('plan', '--markdown', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("cdk8s-istio-traffic: unknown option '--markdown'\nrun 'cdk8s-istio-traffic plan --help' for usage\n");
  });

  test('fails without a command, printing usage to stderr', () => {
    const run = cli();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: cdk8s-istio-traffic');
  });
});
