import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml, YamlOutputType } from 'cdk8s';
import { parse } from 'yaml';
import { tempDir } from './gitops-fixtures';
import { exampleDist, exampleNames } from '../scripts/synth-examples';
import { BlueGreen, Canary, GatewayBinding, GitOpsApp, PortProtocol } from '../src';
import { readTree } from '../src/gitops/manifest-files';
import { manifestYaml } from '../src/gitops/manifest-yaml';

/**
 * GitOpsApp prints manifests itself (src/gitops/manifest-yaml.ts) instead of through the `yaml`
 * package cdk8s bundles; these tests pin that the bytes are the ones cdk8s writes.
 */

/** Strings the `yaml` package treats specially in YAML 1.1: booleans, numbers, timestamps, indicators, quotes, lines. */
const AWKWARD = [
  'a', 'yes', 'n', 'Off', 'e5', '1e5', '0x1f', '0o7', '012', '1:30', '2001-12-14', '1_000', '.inf', '.5', '~', 'null', '', ' a', 'a ', 'a b',
  'a: b', 'app:v1', '"x"', "it's", '\'"', '-', '-a', '- a', '?', '#x', 'a #b', 'a#b', '---x', '...', '%x', '*', '&a', '!t', '|', '>', '{a}',
  '[b]', 'a,b', '@x', '`x`', 'a\\b', 'é', 'multi\nline', 'trailing\n', ' \n', '\ttab', '\u0007', 'x\r\ny', 'x'.repeat(300),
  '^(.*?;\\s*)?(x-version=green)(;.*)?$', 'networking.istio.io/v1', 'argocd.argoproj.io/sync-wave', '10%',
];
const NUMBERS = [0, 1, -1, 80, 0.5, -0.25, 1e21, 2 ** 53, 1e-7, NaN, Infinity];

/** A deterministic pseudo-random generator, so a failure names a reproducible case. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

function randomValue(next: (n: number) => number, depth: number): unknown {
  const pick = next(10);
  if (depth > 4 || pick < 4) {
    const kind = next(6);
    if (kind < 3) return AWKWARD[next(AWKWARD.length)];
    if (kind === 3) return NUMBERS[next(NUMBERS.length)];
    if (kind === 4) return [true, false, null][next(3)];
    return next(2) === 0 ? {} : [];
  }
  if (pick < 7) {
    const map: Record<string, unknown> = {};
    for (let i = next(4); i > 0; i--) {
      map[AWKWARD[next(AWKWARD.length)]] = randomValue(next, depth + 1);
    }
    return map;
  }
  return Array.from({ length: next(4) }, () => randomValue(next, depth + 1));
}

describe('manifest YAML', () => {
  test('is what cdk8s Yaml.stringify writes, for 2,000 random objects made of awkward keys and values', () => {
    // GIVEN objects whose keys and values are the strings YAML 1.1 quotes, folds or reads as other types
    const next = generator(16);
    for (let i = 0; i < 2000; i++) {
      const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `n${i}` }, data: randomValue(next, 0), extra: randomValue(next, 2) };

      // WHEN / THEN
      expect([i, manifestYaml(object)]).toEqual([i, Yaml.stringify(object)]);
    }
  });

  test('hands what it cannot print on its own to cdk8s: undefined values, multi-line strings, class instances, empty objects', () => {
    const cases: unknown[] = [
      { kind: 'X', spec: { value: undefined } },
      { kind: 'X', data: { 'script.sh': '#!/bin/sh\necho hi\n' } },
      { kind: 'X', created: new Date(0) },
      {},
    ];
    for (const object of cases) {
      expect(manifestYaml(object)).toEqual(Yaml.stringify(object));
    }
  });

  test.each(exampleNames())('every manifest committed for example %s is printed back to the same bytes', (name) => {
    // GIVEN the committed output of the example
    const files = [...readTree(exampleDist(name))].filter(([file]) => file.endsWith('.k8s.yaml'));
    expect(files.length).toBeGreaterThan(0);

    for (const [file, text] of files) {
      // WHEN the object is printed again
      const object = parse(text, { version: '1.1' });

      // THEN both printers give the file's bytes
      expect([file, manifestYaml(object)]).toEqual([file, text]);
      expect([file, Yaml.stringify(object)]).toEqual([file, text]);
    }
  });
});

/** A platform of `charts` charts, each with releases in two namespaces and a ConfigMap of awkward data. */
function declarePlatform(app: App, charts: number): void {
  const ports = [{ port: 80, protocol: PortProtocol.HTTP }];
  for (let c = 0; c < charts; c++) {
    const chart = new Chart(app, `team-${c}`);
    for (let s = 0; s < 2; s++) {
      const name = `svc-${c}-${s}`;
      const common = {
        serviceName: name, namespace: `ns-${c % 7}`, ports, hosts: [`${name}.example.com`], gateway: GatewayBinding.fromReference('istio-system/public'),
      };
      if (s === 0) {
        new BlueGreen(chart, name, { ...common, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'green' });
      } else {
        new Canary(chart, name, { ...common, stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: 10 + c });
      }
    }
    new ApiObject(chart, 'settings', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `settings-${c}`, namespace: `ns-${c % 7}` },
      data: { 'on': 'yes', 'weight': '0.5', 'script.sh': `#!/bin/sh\necho ${c}\n`, 'quote': `it's "${c}"` },
    });
  }
}

test('GitOpsApp writes, for a platform of 50 charts, the bytes the plain cdk8s App writes for every object', () => {
  // GIVEN the same platform declared in a plain cdk8s App (a folder per chart, a file per resource) and in a GitOpsApp
  const plain = new App({ outdir: path.join(tempDir(), 'plain'), yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, recordConstructMetadata: false });
  declarePlatform(plain, 50);
  const gitops = new GitOpsApp({ outdir: path.join(tempDir(), 'gitops') });
  declarePlatform(gitops, 50);

  // WHEN both synthesize
  plain.synth();
  gitops.synth();

  // THEN every file cdk8s wrote (`<chart>/<Kind>.<name>.k8s.yaml`) has the same bytes in the GitOps
  // layout (`<chart>/<namespace>/<Kind>.<name>.k8s.yaml`), and GitOpsApp wrote no other object
  const expected = readTree(plain.outdir);
  const written = new Map([...readTree(gitops.outdir)].filter(([file]) => file.endsWith('.k8s.yaml')));
  expect(expected.size).toEqual(50 * 9);
  expect(written.size).toEqual(expected.size);
  for (const [file, text] of expected) {
    const [chart, base] = file.split('/');
    const namespace = parse(text).metadata.namespace;
    expect([file, written.get(`${chart}/${namespace}/${base}`)]).toEqual([file, text]);
  }
  fs.rmSync(path.dirname(plain.outdir), { recursive: true, force: true });
});
