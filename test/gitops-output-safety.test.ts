import fsModule, * as fs from 'fs';
import osModule from 'os';
import * as path from 'path';
import { addUserFiles, BLUE_GREEN, commitAll, folderSnapshot, synthWeb, tempDir } from './gitops-fixtures';
import { recoverInterruptedWrite, stagingFolders } from '../src/gitops/output-swap';
import { OWNED_FILES } from '../src/gitops/owned-files';

/** A project folder as a user has it: a Git repository with sources, scripts and their own files. */
function userProject(): string {
  const project = tempDir('gitops-project-');
  fs.mkdirSync(path.join(project, 'src', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(project, 'src', 'main.ts'), 'console.log("app");\n');
  addUserFiles(project);
  commitAll(project, 'project');
  return project;
}

/** Runs `fn` with `dir` as the working directory. */
function inDir<T>(dir: string, fn: () => T): T {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(previous);
  }
}

describe('refuses output folders it must not replace, and leaves them byte for byte as they were', () => {
  test("'..' from a subfolder: an ancestor of the working directory", () => {
    // GIVEN
    const project = userProject();
    const before = folderSnapshot(project);

    // WHEN / THEN
    inDir(path.join(project, 'src', 'sub'), () => expect(() => synthWeb('..', BLUE_GREEN, 'blue'))
      .toThrow(`refusing to write GitOps output to '${path.join(project, 'src')}': it is an ancestor of the working directory '${fs.realpathSync(path.join(project, 'src', 'sub'))}', which it would replace; set outdir to a folder of its own, such as 'dist' or 'deploy'`));
    expect(folderSnapshot(project)).toEqual(before);
  });

  test("'.': the working directory", () => {
    const project = userProject();
    const before = folderSnapshot(project);
    inDir(project, () => expect(() => synthWeb('.', BLUE_GREEN, 'blue')).toThrow(/it is the working directory, which it would replace/));
    expect(folderSnapshot(project)).toEqual(before);
  });

  test('the project folder by absolute path: it holds .git', () => {
    const project = userProject();
    const before = folderSnapshot(project);
    expect(() => synthWeb(project, BLUE_GREEN, 'blue'))
      .toThrow(`refusing to write GitOps output to '${project}': it holds '.git', so it is a Git work tree and not an output folder; set outdir to a folder inside it, such as 'dist'`);
    expect(folderSnapshot(project)).toEqual(before);
  });

  test('the home directory and its ancestors', () => {
    // GIVEN a home directory with an .ssh folder
    const home = path.join(tempDir('gitops-home-'), 'user');
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
    fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'secret\n', { mode: 0o600 });
    addUserFiles(home);
    const before = folderSnapshot(path.dirname(home));
    const homedir = jest.spyOn(osModule, 'homedir').mockReturnValue(home);
    try {
      // WHEN / THEN
      expect(() => synthWeb(home, BLUE_GREEN, 'blue')).toThrow(`refusing to write GitOps output to '${home}': it is the home directory`);
      expect(() => synthWeb(path.dirname(home), BLUE_GREEN, 'blue')).toThrow(/it is an ancestor of the home directory/);
    } finally {
      homedir.mockRestore();
    }
    expect(folderSnapshot(path.dirname(home))).toEqual(before);
  });

  test('the filesystem root', () => {
    expect(() => synthWeb(path.parse(process.cwd()).root, BLUE_GREEN, 'blue')).toThrow(/it is the filesystem root/);
  });

  test('a folder with files it did not write', () => {
    // GIVEN a folder of someone else's files, binary, executable, link and empty folder included
    const outdir = path.join(tempDir(), 'deploy');
    fs.mkdirSync(outdir);
    addUserFiles(outdir);
    const before = folderSnapshot(outdir);

    // WHEN / THEN
    expect(() => synthWeb(outdir, BLUE_GREEN, 'blue'))
      .toThrow(`refusing to write GitOps output to '${outdir}': it holds 'deploy', 'empty', 'logo.bin', 'notes.md', 'scripts' and 1 more and no ${OWNED_FILES}, so GitOpsApp did not write it; GitOpsApp replaces only its own output, so move those away or choose an empty or new outdir`);
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('its own output with files someone added', () => {
    // GIVEN a previous output, plus user files inside it
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    addUserFiles(path.join(outdir, 'shop'));
    const before = folderSnapshot(outdir);

    // WHEN / THEN
    expect(() => synthWeb(outdir, BLUE_GREEN, 'green')).toThrow(/it holds 'shop\/deploy', 'shop\/empty', 'shop\/logo.bin', 'shop\/notes.md', 'shop\/scripts' and 1 more that GitOpsApp did not write \(they are not listed in its .gitops-app-files\)/);
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('an empty folder someone made inside its output', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    fs.mkdirSync(path.join(outdir, 'shop', 'keep'));
    const before = folderSnapshot(outdir);
    expect(() => synthWeb(outdir, BLUE_GREEN, 'green')).toThrow(/it holds 'shop\/keep' that GitOpsApp did not write/);
    expect(folderSnapshot(outdir)).toEqual(before);
  });

  test('a symbolic link: never replaced by a real folder', () => {
    // GIVEN dist -> real, where real holds a previous output
    const parent = tempDir();
    const real = path.join(parent, 'real');
    synthWeb(real, BLUE_GREEN, 'blue');
    fs.symlinkSync('real', path.join(parent, 'dist'));
    const before = folderSnapshot(parent);

    // WHEN / THEN
    expect(() => synthWeb(path.join(parent, 'dist'), BLUE_GREEN, 'green'))
      .toThrow(`refusing to write GitOps output to '${path.join(parent, 'dist')}': it is a symbolic link to 'real', which would have to be replaced by a real folder; set outdir to the folder the link points to`);
    expect(folderSnapshot(parent)).toEqual(before);
  });

  test('a file', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'dist'), 'not a folder');
    const before = folderSnapshot(parent);
    expect(() => synthWeb(path.join(parent, 'dist'), BLUE_GREEN, 'blue')).toThrow(/it is a file, not a folder/);
    expect(folderSnapshot(parent)).toEqual(before);
  });
});

describe('replacing its own output', () => {
  test('never touches the files next to the output folder, and leaves no temporary folder', () => {
    // GIVEN user files beside the output
    const parent = tempDir();
    addUserFiles(parent);
    const userFiles = folderSnapshot(parent);
    const outdir = path.join(parent, 'dist');

    // WHEN
    synthWeb(outdir, BLUE_GREEN, 'blue');
    synthWeb(outdir, BLUE_GREEN, 'green');

    // THEN
    expect(folderSnapshot(parent).filter((line) => !line.startsWith('dist'))).toEqual(userFiles);
    expect(fs.readdirSync(parent).sort()).toEqual(['deploy', 'dist', 'empty', 'logo.bin', 'notes.md', 'scripts']);
  });

  test('an empty folder is taken as a new output folder', () => {
    const outdir = path.join(tempDir(), 'dist');
    fs.mkdirSync(outdir);
    expect(synthWeb(outdir, BLUE_GREEN, 'blue').has('shop/shop/Service.web.k8s.yaml')).toBe(true);
  });

  test('a write that fails half way leaves the folder as it was, with no temporary folder', () => {
    // GIVEN a previous output, with modes a user may have changed
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    fs.chmodSync(path.join(outdir, 'shop', 'shop', 'Service.web.k8s.yaml'), 0o600);
    const before = folderSnapshot(parent);

    // WHEN the disk fills up at the fourth file
    let writes = 0;
    const real = fs.writeFileSync;
    const spy = jest.spyOn(fsModule, 'writeFileSync').mockImplementation((...args: any[]) => {
      if (++writes === 4) {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return (real as any)(...args);
    });
    try {
      // THEN
      expect(() => synthWeb(outdir, BLUE_GREEN, 'green')).toThrow('ENOSPC');
    } finally {
      spy.mockRestore();
    }
    expect(folderSnapshot(parent)).toEqual(before);
  });

  test('a swap whose second rename fails puts the old output back', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    const before = folderSnapshot(parent);
    let renames = 0;
    const real = fs.renameSync;
    const spy = jest.spyOn(fsModule, 'renameSync').mockImplementation((from: any, to: any) => {
      if (++renames === 2) {
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      }
      return real(from, to);
    });
    try {
      expect(() => synthWeb(outdir, BLUE_GREEN, 'green')).toThrow(`cannot move '${stagingFolders(outdir).next}' to '${outdir}' (EIO); the output folder was left as it was`);
    } finally {
      spy.mockRestore();
    }
    expect(folderSnapshot(parent)).toEqual(before);
  });
});

describe('recovering from a synthesis that died', () => {
  /** An old output in dist and a new one in the staging folder, as a kill between the two renames leaves them. */
  function killedBetweenRenames(): { parent: string; outdir: string; old: string[] } {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const { next, previous } = stagingFolders(outdir);
    synthWeb(next, BLUE_GREEN, 'green');
    synthWeb(outdir, BLUE_GREEN, 'blue');
    const old = folderSnapshot(outdir);
    fs.renameSync(outdir, previous);
    return { parent, outdir, old };
  }

  test('between the two renames: the old output is put back, the new one removed', () => {
    // GIVEN
    const { parent, outdir, old } = killedBetweenRenames();

    // WHEN
    recoverInterruptedWrite(outdir);

    // THEN
    expect(folderSnapshot(outdir)).toEqual(old);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('the next synthesis recovers before it does anything else', () => {
    const { parent, outdir } = killedBetweenRenames();
    const files = synthWeb(outdir, BLUE_GREEN, 'green');
    expect(files.get('shop/TRAFFIC.md')).toMatch(/green[^\n]*100/);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('a staging folder that holds someone else\'s files is left alone, with an error', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const { next } = stagingFolders(outdir);
    fs.mkdirSync(next);
    addUserFiles(next);
    const before = folderSnapshot(parent);
    expect(() => synthWeb(outdir, BLUE_GREEN, 'blue')).toThrow(`'${next}' is in the way: GitOpsApp keeps its unfinished output there, but it holds 'deploy', 'empty', 'logo.bin', 'notes.md', 'scripts' that GitOpsApp did not write; move it away`);
    expect(folderSnapshot(parent)).toEqual(before);
  });
});
