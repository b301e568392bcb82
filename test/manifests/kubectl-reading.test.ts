import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RouteSimulator } from '../../src';
import { manifestFiles, parseManifestText, readManifestFiles } from '../../src/manifests/manifest-files';

/**
 * Manifests are read as kubectl reads them: sigs.k8s.io/yaml converts YAML to JSON with go-yaml v2
 * (YAML 1.1 scalars, merge keys applied in document order: go-yaml v2 decode.go `merge`, which
 * unmarshals the merged map into the one being built, so it overwrites keys written before `<<` and
 * is overwritten by keys after it; a list of maps is applied backwards, so the earlier map wins).
 */

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-reading-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const one = (text: string) => parseManifestText(text, 'test.yaml')[0];

describe('merge keys as go-yaml v2 applies them', () => {
  test('keys after <<: override the merged map', () => {
    // GIVEN labels merged from an anchor, then one of them written again
    const doc = one('base: &b { app: web, version: v1 }\nkind: Pod\nmetadata:\n  labels:\n    <<: *b\n    version: v2\n');
    // WHEN / THEN the explicit key wins (as in the YAML merge spec)
    expect(doc.metadata.labels).toEqual({ app: 'web', version: 'v2' });
  });

  test('keys before <<: are overwritten by the merged map (the yaml package with merge: true keeps them)', () => {
    // GIVEN version written before the merge key
    const doc = one('base: &b { app: web, version: v1 }\nkind: Pod\nmetadata:\n  labels:\n    version: v2\n    <<: *b\n');
    // WHEN / THEN kubectl sends version v1: go-yaml v2 applies the merge where it stands
    expect(doc.metadata.labels).toEqual({ app: 'web', version: 'v1' });
  });

  test('in a list of maps the earlier map wins, and nested maps are replaced, not deep-merged', () => {
    // GIVEN two anchors sharing a key, merged as a list, and a nested map overridden
    const doc = one('a: &a { x: from-a, spec: { p: 1, q: 2 } }\nb: &b { x: from-b, z: from-b }\nkind: Pod\nm:\n  <<: [*a, *b]\n  spec: { p: 9 }\n');
    // WHEN / THEN
    expect(doc.m).toEqual({ x: 'from-a', z: 'from-b', spec: { p: 9 } });
  });

  test('a quoted "<<" is an ordinary key, and merging a scalar is an error with the document line', () => {
    expect(one('kind: Pod\nm: { "<<": { a: 1 } }\n').m).toEqual({ '<<': { a: 1 } });
    expect(() => parseManifestText('kind: A\n---\nkind: Pod\nm:\n  <<: 3\n', 'bad.yaml')).toThrow(/^bad\.yaml:3:1: invalid yaml: map merge requires map or sequence of maps as the value$/);
  });

  test('YAML 1.1 scalars: yes/on/y are booleans (even as keys), 0777 is octal, timestamps and 1:20 stay strings', () => {
    // GIVEN values go-yaml v2 reads differently from YAML 1.2 (resolve.go resolveMapList; timestamps stay
    // strings when decoding into interface{}, decode.go scalar)
    const doc = one('kind: Pod\nv: { a: yes, b: on, c: off, d: 0777, e: 2024-01-02T03:04:05Z, f: 1:20, g: "yes", y: 1 }\n');
    // WHEN / THEN
    expect(doc.v).toEqual({ a: true, b: true, c: false, d: 511, e: '2024-01-02T03:04:05Z', f: '1:20', g: 'yes', true: 1 });
  });

  test('a merged VirtualService routes like the expanded one', () => {
    // GIVEN a route merged from an anchor in the same document
    const sim = new RouteSimulator(parseManifestText(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
x-defaults: &dest { host: web, port: { number: 80 } }
spec:
  hosts: [web]
  http:
  - route:
    - destination:
        <<: *dest
        host: other
`, 'merged.yaml'));
    // WHEN / THEN the explicit host after the merge wins
    expect(sim.route({ sourceNamespace: 'shop', host: 'web' }).destinations[0].host).toBe('other.shop.svc.cluster.local');
  });
});

describe('folders', () => {
  test('symlinked folders are followed, and a link loop is read once', () => {
    // GIVEN a folder with a real subfolder, a link to it, and a link back to the root
    const dir = tempDir({ 'real/a.yaml': 'kind: A\n', 'b.yaml': 'kind: B\n' });
    const elsewhere = tempDir({ 'c.yaml': 'kind: C\n' });
    fs.symlinkSync(elsewhere, path.join(dir, 'linked'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'again'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'loop'));

    // WHEN reading the folder
    const kinds = readManifestFiles([dir]).map((m) => m.kind);

    // THEN the linked folder is read, and nothing twice or forever
    expect(kinds.sort()).toEqual(['A', 'B', 'C']);
    expect(manifestFiles([dir]).map((f) => path.relative(dir, f))).toEqual([path.join('again', 'a.yaml'), 'b.yaml', path.join('linked', 'c.yaml')]);
  });

  test('a dangling symlink is an error naming it', () => {
    const dir = tempDir({ 'a.yaml': 'kind: A\n' });
    fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'b.yaml'));
    expect(() => readManifestFiles([dir])).toThrow(`cannot read '${path.join(dir, 'b.yaml')}': a symbolic link to a path that does not exist`);
  });
});

describe('large files', () => {
  test('200,000 documents in one file load without overflowing the stack', () => {
    // GIVEN one file of 200k small documents (spreading them into push() used to overflow near 120k)
    const dir = tempDir({ 'big.yaml': 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(200_000) });

    // WHEN / THEN
    const manifests = readManifestFiles([dir]);
    expect(manifests).toHaveLength(200_000);
    expect(() => new RouteSimulator(manifests)).not.toThrow();
  }, 120_000);
});
