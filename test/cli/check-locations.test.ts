import * as fs from 'fs';
import * as path from 'path';
import { cli, tempManifests } from './cli-helpers';
import { SEED_000_PII_DEMO, SEED_004_WEB_ECHO } from '../seed-manifests';

const BAD_REGEX = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - match:
    - headers:
        cookie:
          regex: "^(?=.*x-version=v2).*$"
    route: [{ destination: { host: web } }]
  - route: [{ destination: { host: web } }]
`;

describe('check locations', () => {
  test('a regex Envoy rejects is an error with file and line, and route refuses it the same way', () => {
    // GIVEN a cookie regex with look-ahead (not RE2) on line 15 of app.yaml
    const dir = tempManifests({ 'app.yaml': BAD_REGEX });
    const file = path.join(dir, 'app.yaml');

    // WHEN checking and routing
    const check = cli('check', dir);
    const route = cli('route', '--from-namespace', 'shop', '--host', 'web', dir);

    // THEN check fails (exit 1) naming the code, the path and file:line
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('ERROR IST0106 VirtualService shop/web spec.http[0].match[0].headers.cookie.regex\n');
    expect(check.stdout).toContain(`  at ${file}:15\n`);
    expect(check.stdout).toContain("regex '^(?=.*x-version=v2).*$' is not valid RE2");
    // AND route rejects the same regex
    expect(route.code).toBe(2);
    expect(route.stderr).toContain("regex '^(?=.*x-version=v2).*$' is not valid RE2");
  });

  test('findings of symlinked folders are reported with the path they were found under', () => {
    // GIVEN the same manifests reached through a symlinked folder
    const real = tempManifests({ 'app.yaml': BAD_REGEX });
    const dir = tempManifests({ 'readme.txt': 'x' });
    fs.symlinkSync(real, path.join(dir, 'team'));

    // WHEN / THEN the symlinked folder is checked
    const check = cli('check', dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`  at ${path.join(dir, 'team', 'app.yaml')}:15\n`);
  });
});

describe('check on the seeds\' own YAML', () => {
  /** 1-based line of the first line containing `marker` after the line containing `after`. */
  const lineOf = (text: string, marker: string, after = '') => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes(after));
    return lines.findIndex((l, i) => i >= start && l.includes(marker)) + 1;
  };

  test('reports the host-header matches, the // rewrite and the unspaced cookie regex with file and line', () => {
    // GIVEN seed 000 as published and seed 004 with the tutorials' unspaced cookie regex, in two files
    const seed004 = SEED_004_WEB_ECHO.replace('^(.*?; )?(x-version=v2)', '^(.*?;)?(x-version=v2)');
    const dir = tempManifests({ 'pii-demo.yaml': SEED_000_PII_DEMO, 'web-echo.yaml': seed004 });

    // WHEN
    const check = cli('check', '--json', '--known-gateway', 'istio-inject-blue-green/istio-service-mesh-tls-gateway', dir);

    // THEN exactly these errors, each at the line of the offending field
    expect(check.code).toBe(1);
    const findings = JSON.parse(check.stdout);
    const pii = path.join(dir, 'pii-demo.yaml');
    const echo = path.join(dir, 'web-echo.yaml');
    expect(findings.map((f: any) => [f.code, f.name, f.path, f.file, f.line])).toEqual([
      ['ISTT005', 'httpd-server', 'spec.http[0].match[0].headers.host', pii, lineOf(SEED_000_PII_DEMO, 'pii-demo-blue.apps.hl.test } }', 'http:')],
      ['ISTT005', 'httpd-server', 'spec.http[1].match[0].headers.host', pii, lineOf(SEED_000_PII_DEMO, 'pii-demo-green.apps.hl.test } }', 'http:')],
      ['ISTT005', 'httpd-server', 'spec.http[2].match[0].headers.host', pii, lineOf(SEED_000_PII_DEMO, 'pii-demo.apps.hl.test } }', 'http:')],
      ['ISTT009', 'istio-prod-blue-green', 'spec.http[1].match[0].headers.Cookie.regex', echo, lineOf(seed004, 'regex:')],
      ['ISTT003', 'istio-prod-blue-green', 'spec.http[0].match[0].uri.prefix', echo, lineOf(seed004, 'prefix: /v1')],
    ]);
  });
});
