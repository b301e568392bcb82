import { spawnSync } from 'child_process';
import * as path from 'path';
import { extend } from '../../src/semantics/extend';

/**
 * Runs `body` in a fresh process that may ask V8 whether objects share a hidden class
 * (`%HaveSameMap`), and returns what it prints.
 */
function inV8(body: string): string {
  const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-r', 'ts-node/register/transpile-only', '-e', body], {
    cwd: path.join(__dirname, '..', '..'), encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(result.stderr);
  }
  return result.stdout.trim();
}

/** Script text: how many distinct hidden classes the objects in `list` have. */
const COUNT_SHAPES = `
  function shapes(list) {
    const seen = [];
    for (const o of list) if (!seen.some((s) => %HaveSameMap(s, o))) seen.push(o);
    return seen.length;
  }
`;

describe('extend', () => {
  test('holds the fields of both objects, the extra ones winning, in a plain object', () => {
    // GIVEN / WHEN
    const joined = extend({ kind: 'Service', name: 'web', order: 1 }, { order: 2, fqdn: 'web.shop.svc.cluster.local' });

    // THEN
    expect(joined).toStrictEqual({ kind: 'Service', name: 'web', order: 2, fqdn: 'web.shop.svc.cluster.local' });
    expect(Object.getPrototypeOf(joined)).toBe(Object.prototype);
    expect(joined.constructor.name).toBe('Object');
  });

  test('objects it builds share a hidden class even once the empty object has no room left, as in an app of 3,000 charts', () => {
    // GIVEN a process in which 3,000 objects built from {} each took their own first key (construct children do)
    const out = inV8(`${COUNT_SHAPES}
      const { extend } = require('./src/semantics/extend');
      const children = [];
      for (let i = 0; i < 3000; i++) { const o = {}; o['chart-' + i] = i; children.push(o); }
      const identity = (i) => ({ entryKind: 'GATEWAY', entryKey: 'k' + i, port: 80 });
      const extended = [], assigned = [];
      for (let i = 0; i < 300; i++) {
        extended.push(extend(identity(i), { host: 'h' + i }));
        assigned.push(Object.assign({}, identity(i), { host: 'h' + i }));
      }
      console.log(shapes(extended), shapes(assigned));
    `);

    // THEN extend's objects share one; built from {} they would not
    const [extended, assigned] = out.split(' ').map(Number);
    expect(extended).toBe(1);
    expect(assigned).toBeGreaterThan(100);
  });

  test('the index of 300 VirtualServices and Services gives each kind one hidden class', () => {
    // GIVEN 300 services, each with a Service and a VirtualService, indexed as the plan and the checks index them
    const out = inV8(`${COUNT_SHAPES}
      const { ManifestIndex } = require('./src/semantics/manifest-index');
      const manifests = [];
      for (let i = 0; i < 300; i++) {
        manifests.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' + i, namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
        manifests.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'v' + i, namespace: 'shop' }, spec: { hosts: ['s' + i] } });
      }
      const index = new ManifestIndex(manifests);
      console.log(shapes([...index.services.values()]), shapes(index.virtualServices));
    `);

    // THEN
    expect(out).toBe('1 1');
  });

  test('an object spread of the same objects gives nearly each its own, which is why extend exists', () => {
    const out = inV8(`${COUNT_SHAPES}
      const built = [];
      for (let i = 0; i < 300; i++) built.push({ kind: 'Service', name: 's' + i, namespace: 'shop' });
      console.log(shapes(built.map((o) => ({ ...o, fqdn: o.name + '.shop.svc.cluster.local' }))));
    `);

    expect(Number(out)).toBeGreaterThan(100);
  });
});
