import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { exampleDist, exampleNames } from '../scripts/synth-examples';
import { readTree } from '../src/gitops/manifest-files';
import { OBJECT_KEYS } from '../src/gitops/object-shapes';

/** Maps whose keys the app chooses (label keys such as `color`), not the object's schema. */
const APP_CHOSEN_KEYS = new Set(['labels', 'annotations', 'matchLabels', 'selector', 'sourceLabels', 'nodeSelector']);

function isStringMap(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Every schema key of every object (and nested object) in a parsed document. */
function keysOf(value: unknown, keys: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => keysOf(v, keys));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      keys.add(key);
      // a Service's `selector` is a label map, a Deployment's holds `matchLabels`
      if (!(APP_CHOSEN_KEYS.has(key) && isStringMap(v))) {
        keysOf(v, keys);
      }
    }
  }
  return keys;
}

describe('object shapes recorded before an app is declared', () => {
  test('cover every key of the objects the examples write', () => {
    // GIVEN every manifest the examples synthesize (committed and checked against a fresh synthesis elsewhere)
    const keys = new Set<string>();
    for (const name of exampleNames()) {
      for (const [file, text] of readTree(exampleDist(name))) {
        if (/\.ya?ml$/.test(file) && !file.endsWith('kustomization.yaml')) {
          parseAllDocuments(text).forEach((doc) => keysOf(doc.toJS(), keys));
        }
      }
    }

    // WHEN the keys missing from the recorded list are collected
    const recorded = new Set(OBJECT_KEYS);
    const missing = [...keys].filter((k) => !recorded.has(k)).sort();

    // THEN there are none, and the examples wrote the objects the list is about
    expect(keys.has('apiVersion') && keys.has('hosts') && keys.has('backendRefs')).toBe(true);
    expect(missing).toEqual([]);
  });

  test('the list holds each key once', () => {
    expect(new Set(OBJECT_KEYS).size).toBe(OBJECT_KEYS.length);
  });
});

/**
 * Declares 1,600 charts of one service each (one construct id per chart, as in a real platform) in
 * a fresh process, resolves them as GitOpsApp does, and prints how many distinct hidden classes the
 * Services' `spec` objects have (V8's own answer, through `--allow-natives-syntax`).
 */
function distinctSpecShapes(app: 'GitOpsApp' | 'App'): number {
  const script = `
    const { App, Chart } = require('cdk8s');
    const { GitOpsApp, BlueGreen, PortProtocol } = require('./src');
    const { resolveChartObjects } = require('./src/gitops/chart-objects');
    const app = new (${app === 'GitOpsApp' ? 'GitOpsApp' : 'App'})({ outdir: 'not-written' });
    for (let i = 0; i < 1600; i++) {
      new BlueGreen(new Chart(app, 'chart-' + i), 'svc-' + i, {
        serviceName: 'svc-' + i, ports: [{ port: 80, protocol: PortProtocol.HTTP }],
        versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'green',
      });
    }
    const specs = resolveChartObjects(app, app.node.findAll()).filter((o) => o.json.kind === 'Service').map((o) => o.json.spec);
    const shapes = [];
    for (const spec of specs) {
      if (!shapes.some((s) => %HaveSameMap(s, spec))) shapes.push(spec);
    }
    console.log(shapes.length);
  `;
  const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(result.stderr);
  }
  return Number(result.stdout.trim());
}

describe('resolved objects of an app of 1,600 charts', () => {
  test('share their hidden classes in a GitOpsApp', () => {
    expect(distinctSpecShapes('GitOpsApp')).toBe(1);
  });

  test('get one hidden class each in a plain App, which is what the recorded shapes prevent', () => {
    expect(distinctSpecShapes('App')).toBeGreaterThan(100);
  });
});
