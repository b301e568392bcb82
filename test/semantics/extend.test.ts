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
  test('holds the fields of both objects, the extra ones winning', () => {
    // GIVEN / WHEN
    const joined = extend({ kind: 'Service', name: 'web', order: 1 }, { order: 2, fqdn: 'web.shop.svc.cluster.local' });

    // THEN
    expect(joined).toEqual({ kind: 'Service', name: 'web', order: 2, fqdn: 'web.shop.svc.cluster.local' });
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
