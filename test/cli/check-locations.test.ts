import * as fs from 'fs';
import * as path from 'path';
import { cli, tempManifests } from './cli-helpers';

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
