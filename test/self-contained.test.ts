import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
// Built from pieces so this file does not match itself.
const SHARED = 'sha' + 'red';
const READS_SIBLING_FOLDER = new RegExp([
  `\\.\\.[\\\\/]+${SHARED}\\b`, // a relative path: dot-dot, slash or backslash, the folder
  `['"\`]\\.\\.['"\`]\\s*,\\s*['"\`]${SHARED}['"\`]`, // path segments: a quoted dot-dot, then the quoted folder name
].join('|'));

/** Every file below `dir` (relative to the repository), skipping dependencies and build output. */
function filesBelow(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) {
    return [];
  }
  if (fs.statSync(full).isFile()) {
    return [dir];
  }
  return fs.readdirSync(full, { withFileTypes: true })
    .filter((e) => !['node_modules', 'dist', '.tmp'].includes(e.name))
    .flatMap((e) => filesBelow(path.join(dir, e.name)));
}

describe('the repository is self-contained', () => {
  test('no source, test, script, benchmark, example or build file reads a folder beside the repository', () => {
    // GIVEN every file that runs in a build or a test
    const files = ['src', 'test', 'scripts', 'bench', 'examples', '.projenrc.ts', '.projen/tasks.json', '.ci', 'package.json'].flatMap(filesBelow);
    expect(files.length).toBeGreaterThan(100);

    // WHEN
    const offenders = files.filter((file) => READS_SIBLING_FOLDER.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));

    // THEN
    expect(offenders).toEqual([]);
  });

  test('the guard recognises both ways of naming the sibling folder', () => {
    expect(READS_SIBLING_FOLDER.test(`fs.readFileSync('../${SHARED}/istio/crds.yaml')`)).toBe(true);
    expect(READS_SIBLING_FOLDER.test(`path.join(__dirname, '..', '..', '..', '${SHARED}', 'flagger')`)).toBe(true);
    expect(READS_SIBLING_FOLDER.test(`a ${SHARED} gateway such as istio-system/public`)).toBe(false);
  });

  test('the semantics documents the comments cite are in the repository, with every cited section', () => {
    // GIVEN the section numbers cited as §n.m in src/ and test/, each belonging to the document last
    // named before it in the file (docs/istio-semantics.md unless docs/gateway-api-semantics.md is)
    const headingsOf = (name: string) => {
      const doc = fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');
      return new Set([...doc.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((m) => m[1]));
    };
    const headings: Record<string, Set<string>> = { 'istio-semantics.md': headingsOf('istio-semantics.md'), 'gateway-api-semantics.md': headingsOf('gateway-api-semantics.md') };
    const sources = ['src', 'test'].flatMap(filesBelow).filter((f) => f.endsWith('.ts') || f.endsWith('.md'));
    const cited: string[] = [];
    for (const file of sources) {
      let doc = 'istio-semantics.md';
      for (const m of fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(istio-semantics\.md|gateway-api-semantics\.md)|§(\d+(?:\.\d+)?)/g)) {
        if (m[1]) {
          doc = m[1];
        } else {
          cited.push(`${doc} §${m[2]}`);
        }
      }
    }

    // WHEN
    const missing = [...new Set(cited)].filter((c) => !headings[c.split(' ')[0]].has(c.split('§')[1]));

    // THEN
    expect(new Set(cited).size).toBeGreaterThan(10);
    expect(missing.sort()).toEqual([]);
  });
});
