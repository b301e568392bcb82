import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writePlatform } from '../../bench/platform';
import { readWithFullParser } from '../../src/manifests/kubectl-yaml';
import { parseManifestText } from '../../src/manifests/manifest-files';
import { parseSimpleDocument } from '../../src/manifests/simple-yaml';

/** The fast reader must give exactly what the full parser gives, or decline. */

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

function documents(text: string): string[] {
  return text.split(/^---[^\S\n]*$/m);
}

describe('fast YAML reader', () => {
  test('agrees with the full parser on every committed example and a generated platform', () => {
    // GIVEN the examples' synthesized files and 200 generated releases
    const platform = fs.mkdtempSync(path.join(os.tmpdir(), 'simple-yaml-'));
    writePlatform(platform, 200);
    const files = [...yamlFiles(path.join(__dirname, '..', '..', 'examples')), ...yamlFiles(platform)];
    let accepted = 0;
    let total = 0;

    // WHEN each document is read both ways
    for (const file of files) {
      for (const doc of documents(fs.readFileSync(file, 'utf8'))) {
        const full = readWithFullParser(doc);
        const fast = parseSimpleDocument(doc);
        total++;
        // THEN every document the fast reader accepts has the same value
        if (fast) {
          accepted++;
          expect([file, fast.value ?? undefined]).toEqual([file, full[0]]);
        }
      }
    }
    // AND it accepts nearly all of them (block scalars are left to the full parser)
    expect(accepted / total).toBeGreaterThan(0.9);
  });

  test.each([
    ['plain, quoted and flow scalars', 'a: 1\nb: "x: y # z"\nc: \'it\'\'s\'\nd: [1, "two", {e: f}]\ng: http://h:8080/p # note\nh: ~\ni: -3\nj: 1e3\nk: 0x1F\nl: "\\u00e9\\t"\n'],
    ['nested blocks and compact sequences', 'spec:\n  ports:\n  - name: http\n    port: 80\n  -   name: tcp\n      port: 90\n  selector:\n    app: web\n  list:\n    - - 1\n'],
    ['booleans and keys as YAML 1.1 reads them', 'on: yes\nn: 1\nflag: No\nq: "no"\n'],
    ['comments everywhere', '# head\na: # after key\n  b: 1 # trailing\n# between\nc: [1, 2] # flow\n'],
  ])('%s: same value as the full parser, or declined', (_name, text) => {
    const fast = parseSimpleDocument(text);
    if (fast) {
      expect(fast.value).toEqual(readWithFullParser(text)[0]);
    }
  });

  test.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: { <<: { b: 1 } }\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
  ])('declines %s, leaving it to the full parser', (_name, text) => {
    expect(parseSimpleDocument(text)).toBeUndefined();
  });

  test('errors still come from the full parser with the file line', () => {
    expect(() => parseManifestText('kind: A\n---\nkind: B\nspec:\n  x: [1\n  y: 2\n', 'app.yaml')).toThrow(/^app\.yaml:6:\d+: invalid yaml: /);
  });
});
