import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IstioTrafficValidation } from '../../src';

/** A cdk8s-cli ValidationContext for one hand-written VirtualService naming a missing subset. */
function context(metadata: Record<string, { path: string }>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-paths-'));
  const file = path.join(dir, 'vs.yaml');
  fs.writeFileSync(file, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: web, namespace: shop }\n'
    + 'spec: { hosts: [web], http: [{ route: [{ destination: { host: web, subset: purple } }] }] }\n');
  const logged: string[] = [];
  return {
    logged,
    manifests: [file],
    metadata,
    logger: { log: (message: string) => logged.push(message) },
    report: { addViolation: () => undefined, submit: () => undefined },
  };
}

describe('construct paths in the validation report', () => {
  test('without construct metadata the plugin says why paths show N/A and how to get them', async () => {
    // GIVEN an app that recorded no construct paths (no construct of this library, recordConstructMetadata: false)
    const ctx = context({});

    // WHEN
    await new IstioTrafficValidation().validate(ctx);

    // THEN
    expect(ctx.logged).toEqual(['cdk8s-istio-traffic: construct paths show N/A because the app recorded none: '
      + 'any construct of this library records them when the cdk8s CLI validates; without one, leave recordConstructMetadata unset on the App']);
  });

  test('with construct metadata the CLI names the paths and the plugin adds nothing', async () => {
    const ctx = context({ web: { path: 'shop/web' } });
    await new IstioTrafficValidation().validate(ctx);
    expect(ctx.logged).toEqual([]);
  });

  test('the README configures the plugin by its installed path, not as a package to download', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain('  - package: ./node_modules/cdk8s-istio-traffic');
    expect(readme).not.toMatch(/package: cdk8s-istio-traffic\s*\n/);
  });
});
