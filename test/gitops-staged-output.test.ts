import * as fs from 'fs';
import * as path from 'path';
import { folderSnapshot, tempDir } from './gitops-fixtures';
import { inspectOutputFolder } from '../src/gitops/output-folder';
import { recoverInterruptedWrite, StagedOutput, stagingFolders } from '../src/gitops/output-swap';
import { OWNED_FILES, OWNED_FILES_NEXT, ownedFilesText } from '../src/gitops/owned-files';

/** Every regular file below `dir`, relative with `/`, sorted. */
function filesBelow(dir: string): string[] {
  return folderSnapshot(dir).filter((line) => line.includes(' file ')).map((line) => line.slice(0, line.indexOf(' file '))).sort();
}

describe('StagedOutput', () => {
  const OLD = new Map([
    ['shop/shop/Service.web.k8s.yaml', 'kind: Service\n'],
    ['shop/TRAFFIC.md', '# old plan\n'],
  ]);

  /** An output folder `dist` written by GitOpsApp with the OLD files, and its snapshot. */
  function existingOutput(): { dir: string; before: string[] } {
    const dir = path.join(tempDir('gitops-staged-'), 'dist');
    new StagedOutput(inspectOutputFolder(dir), OLD.keys()).commit(OLD);
    return { dir, before: folderSnapshot(dir) };
  }

  test('a listed candidate that is never written is left out of the marker and the folder', () => {
    // GIVEN a staging folder listing a candidate plan per chart, and one chart's files written early
    const { dir } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'config/ns/ConfigMap.a.k8s.yaml', 'config/TRAFFIC.md']);
    expect(fs.readFileSync(path.join(stagingFolders(dir).next, OWNED_FILES), 'utf8'))
      .toBe(ownedFilesText(['config/TRAFFIC.md', 'config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    staged.write('config/ns/ConfigMap.a.k8s.yaml', 'kind: ConfigMap\n');

    // WHEN the output turns out to have no plan for config
    const files = new Map([
      ['shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n'],
      ['config/ns/ConfigMap.a.k8s.yaml', 'kind: ConfigMap\n'],
      ['shop/TRAFFIC.md', '# new plan\n'],
    ]);
    staged.commit(files);

    // THEN the folder holds exactly those files and the marker lists exactly them
    expect(filesBelow(dir)).toEqual([OWNED_FILES, 'config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, OWNED_FILES), 'utf8')).toBe(ownedFilesText(['config/ns/ConfigMap.a.k8s.yaml', 'shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    files.forEach((content, file) => expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(content));
    expect(fs.existsSync(path.join(dir, 'config', 'TRAFFIC.md'))).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    // and the next synthesis accepts the folder as its own
    expect(inspectOutputFolder(dir).owned).toEqual(new Set(files.keys()));
  });

  test('a file written early that the output no longer holds is removed and left out of the marker', () => {
    // GIVEN two files written early
    const { dir } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/a.k8s.yaml', 'shop/b.k8s.yaml']);
    staged.write('shop/a.k8s.yaml', 'kind: A\n');
    staged.write('shop/b.k8s.yaml', 'kind: B\n');

    // WHEN the output turns out to hold only one of them
    staged.commit(new Map([['shop/a.k8s.yaml', 'kind: A\n']]));

    // THEN only that one is there, and the marker lists exactly it
    expect(filesBelow(dir)).toEqual([OWNED_FILES, 'shop/a.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, OWNED_FILES), 'utf8')).toBe(ownedFilesText(['shop/a.k8s.yaml']));
    expect(inspectOutputFolder(dir).owned).toEqual(new Set(['shop/a.k8s.yaml']));
  });

  test('a staging folder left with both markers (a crash before the rename) is removed by recovery', () => {
    // GIVEN a staging folder with a file written early and the marker's replacement written but
    // not yet renamed over it
    const { dir, before } = existingOutput();
    const { next } = stagingFolders(dir);
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'config/TRAFFIC.md']);
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    fs.writeFileSync(path.join(next, OWNED_FILES_NEXT), ownedFilesText(['shop/TRAFFIC.md', 'shop/shop/Service.web.k8s.yaml']));
    expect(filesBelow(next)).toEqual([OWNED_FILES, OWNED_FILES_NEXT, 'shop/shop/Service.web.k8s.yaml']);

    // WHEN the next synthesis starts
    recoverInterruptedWrite(dir);

    // THEN the staging folder is gone and the output is as it was
    expect(fs.existsSync(next)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('a staging folder holding a file that neither marker lists is refused, and left alone', () => {
    // GIVEN both markers and a file someone put there
    const { dir, before } = existingOutput();
    const { next } = stagingFolders(dir);
    new StagedOutput(inspectOutputFolder(dir), ['shop/TRAFFIC.md']);
    fs.writeFileSync(path.join(next, OWNED_FILES_NEXT), ownedFilesText([]));
    fs.writeFileSync(path.join(next, 'notes.md'), 'mine\n');
    const staging = folderSnapshot(next);

    // WHEN / THEN
    expect(() => recoverInterruptedWrite(dir)).toThrow(`'${next}' is in the way: GitOpsApp keeps its unfinished output there, but it holds 'notes.md' that GitOpsApp did not write; move it away`);
    expect(folderSnapshot(next)).toEqual(staging);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('writing a file that is not listed throws and writes nothing', () => {
    // GIVEN
    const { dir } = existingOutput();
    const { next } = stagingFolders(dir);
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml']);

    // WHEN / THEN
    expect(() => staged.write('shop/TRAFFIC.md', '# plan\n')).toThrow("internal error: 'shop/TRAFFIC.md' is written before it is listed in the staging marker");
    expect(filesBelow(next)).toEqual([OWNED_FILES]);
  });

  test('discard() removes the staging folder and leaves the output as it was', () => {
    // GIVEN a staging folder with files written in nested folders, beside an existing output
    const { dir, before } = existingOutput();
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md', 'api/a/b/Service.api.k8s.yaml']);
    staged.write('shop/shop/Service.web.k8s.yaml', 'kind: Service\nnew: true\n');
    staged.write('api/a/b/Service.api.k8s.yaml', 'kind: Service\n');

    // WHEN
    staged.discard();

    // THEN
    expect(fs.existsSync(stagingFolders(dir).next)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
    expect(folderSnapshot(dir)).toEqual(before);
  });

  test('discard() of a first output leaves no output folder', () => {
    // GIVEN no output folder yet
    const dir = path.join(tempDir('gitops-staged-'), 'dist');
    const staged = new StagedOutput(inspectOutputFolder(dir), ['shop/TRAFFIC.md']);
    staged.write('shop/TRAFFIC.md', '# plan\n');

    // WHEN
    staged.discard();

    // THEN
    expect(fs.readdirSync(path.dirname(dir))).toEqual([]);
  });
});
