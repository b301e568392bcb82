import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manifestFiles, parseManifestText, readManifestFiles } from '../src/manifests/manifest-files';

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('manifest files', () => {
  test('folders are searched recursively for .yaml/.yml in name order; other files are skipped', () => {
    // GIVEN yaml files at two levels, a .yml, a README and a json file
    const dir = tempDir({ 'b.yaml': 'kind: B\n', 'a/z.yml': 'kind: Z\n---\nkind: Z2\n', 'README.md': '# x', 'c.json': '{}' });
    // WHEN listing and reading
    const files = manifestFiles([dir]).map((f) => path.relative(dir, f));
    // THEN only YAML is read, multi-document files give several manifests
    expect(files).toEqual([path.join('a', 'z.yml'), 'b.yaml']);
    expect(readManifestFiles([dir]).map((m) => m.kind)).toEqual(['Z', 'Z2', 'B']);
  });

  test('empty documents are ignored', () => {
    expect(parseManifestText('---\n---\nkind: A\n---\n', 'x.yaml')).toEqual([{ kind: 'A' }]);
  });

  test('fails for invalid YAML with file, line and column', () => {
    expect(() => parseManifestText('kind: A\n---\nkind: B\nspec: { a: 1\n', 'app.yaml')).toThrow(/^app\.yaml:\d+:\d+: invalid yaml: /);
    try {
      parseManifestText('kind: A\n---\nkind: B\nspec:\n  x: [1\n  y: 2\n', 'app.yaml');
    } catch (e: any) {
      expect(e.message).toBe('app.yaml:6:3: invalid yaml: flow sequence in block collection must be sufficiently indented and end with a ]');
      expect(e.line).toBe(6);
    }
    expect.assertions(3);
  });

  test('fails for a missing path, naming it', () => {
    expect(() => readManifestFiles(['/missing/app.yaml'])).toThrow("cannot read '/missing/app.yaml': no such file or directory");
  });
});
