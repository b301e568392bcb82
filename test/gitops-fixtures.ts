import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { BlueGreen, GitOpsApp, GitOpsAppProps, PortProtocol, ServiceVersion } from '../src';
import { readTree } from '../src/gitops/manifest-files';

/** A new empty folder under the system temp folder. */
export const tempDir = (prefix = 'gitops-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export const BLUE_GREEN: ServiceVersion[] = [{ name: 'blue' }, { name: 'green' }];

/** Synthesizes one BlueGreen `web` in namespace `shop` into `outdir` and returns the files written. */
export function synthWeb(outdir: string, versions: ServiceVersion[], activeVersion: string, props: GitOpsAppProps = {}): Map<string, string> {
  const app = new GitOpsApp({ outdir, ...props });
  const chart = new Chart(app, 'shop');
  new BlueGreen(chart, 'web', {
    serviceName: 'web', namespace: 'shop', ports: [{ port: 80, protocol: PortProtocol.HTTP }], hosts: ['web.example.com'], versions, activeVersion,
  });
  app.synth();
  return readTree(outdir);
}

/**
 * Everything below `dir`, byte for byte: one line per entry with its type, permission bits and
 * content hash (files) or target (links), empty folders included. Equal snapshots mean nothing
 * was touched.
 */
export function folderSnapshot(dir: string): string[] {
  const lines: string[] = [];
  const walk = (relative: string) => {
    const full = path.join(dir, relative);
    const stat = fs.lstatSync(full);
    const mode = (stat.mode % 0o10000).toString(8);
    if (stat.isSymbolicLink()) {
      lines.push(`${relative} link ${fs.readlinkSync(full)}`);
    } else if (stat.isDirectory()) {
      lines.push(`${relative}/ dir ${mode}`);
      for (const name of fs.readdirSync(full).sort()) {
        walk(relative === '' ? name : `${relative}/${name}`);
      }
    } else {
      lines.push(`${relative} file ${mode} ${stat.size} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
    }
  };
  walk('');
  return lines;
}

/**
 * Puts the kinds of files a user keeps into `dir`: a binary file, an executable script, a symbolic
 * link, an empty folder and a nested text file.
 */
export function addUserFiles(dir: string): void {
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logo.bin'), Buffer.from([0, 255, 1, 254, 0, 0, 10, 13, 128]));
  fs.writeFileSync(path.join(dir, 'scripts', 'deploy.sh'), '#!/bin/sh\necho deploy\n', { mode: 0o755 });
  fs.chmodSync(path.join(dir, 'scripts', 'deploy.sh'), 0o755);
  fs.symlinkSync('scripts/deploy.sh', path.join(dir, 'deploy'));
  fs.mkdirSync(path.join(dir, 'empty'));
  fs.writeFileSync(path.join(dir, 'notes.md'), '# notes\n');
}

/** Runs git in `cwd` with a fixed identity, and throws with its output when it fails. */
export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  }
  return result.stdout;
}

/** A new Git repository with one commit of whatever `dir` holds. */
export function commitAll(dir: string, message: string): void {
  if (!fs.existsSync(path.join(dir, '.git'))) {
    git(dir, 'init', '-q');
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}
