import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { realPathOfMaybeMissing } from './output-folder';

/** A folder as committed in Git. */
export interface CommittedFolder {
  /** Files below the folder that `wanted` kept: relative path with `/` -> content. */
  readonly files: Map<string, string>;
  /** Where it came from, for messages: `<ref>:<path> (commit <sha>)`. */
  readonly description: string;
}

/** Why a folder could not be read from Git, for messages. */
export interface NotCommitted {
  readonly reason: string;
}

const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * Reads the folder `dir` as committed at `ref`, with the `git` command (two processes: one lists
 * the tree, one reads every wanted file). Returns why not when `dir` is not in a Git work tree, the
 * ref has no commit yet (a new repository) or the folder is not committed at that ref.
 *
 * @param requireRef throw instead when `ref` is not a commit (a ref the user named must exist)
 */
export function readCommittedFolder(
  dir: string, ref: string, wanted: (file: string) => boolean, requireRef: boolean,
): CommittedFolder | NotCommitted {
  const real = realPathOfMaybeMissing(dir);
  const start = nearestExisting(real);
  const top = git(start, ['rev-parse', '--show-toplevel']);
  if (top.status !== 0) {
    return { reason: `'${dir}' is not in a git work tree` };
  }
  const root = fs.realpathSync(top.stdout.toString().trim());
  const relative = path.relative(root, real).split(path.sep).join('/');
  if (relative.startsWith('..')) {
    return { reason: `'${dir}' is not in the git work tree of '${start}'` };
  }
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (commit.status !== 0) {
    if (requireRef) {
      throw new Error(`'${ref}' is not a commit in the git repository '${root}'; name a branch, tag or commit that exists`);
    }
    return { reason: `'${ref}' has no commit yet in '${root}'` };
  }
  const sha = commit.stdout.toString().trim();
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', sha, '--', ...(relative === '' ? [] : [relative])]);
  if (listing.status !== 0) {
    throw new Error(`git ls-tree failed in '${root}': ${listing.stderr.toString().trim()}`);
  }
  const prefix = relative === '' ? '' : `${relative}/`;
  const blobs: { file: string; object: string }[] = [];
  for (const entry of listing.stdout.toString().split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match && match[1] !== '120000' && match[3].startsWith(prefix)) {
      const file = match[3].slice(prefix.length);
      if (wanted(file)) {
        blobs.push({ file, object: match[2] });
      }
    }
  }
  const description = `${ref}:${relative === '' ? '.' : relative} (commit ${sha.slice(0, 12)})`;
  if (blobs.length === 0 && !listing.stdout.toString().includes('\t')) {
    return { reason: `'${relative}' is not committed at ${ref}` };
  }
  return { files: readBlobs(root, blobs), description };
}

/** Reads all blobs through one `git cat-file --batch`. */
function readBlobs(root: string, blobs: { file: string; object: string }[]): Map<string, string> {
  const files = new Map<string, string>();
  if (blobs.length === 0) {
    return files;
  }
  const batch = git(root, ['cat-file', '--batch'], blobs.map((b) => b.object).join('\n') + '\n');
  if (batch.status !== 0) {
    throw new Error(`git cat-file failed in '${root}': ${batch.stderr.toString().trim()}`);
  }
  const out = batch.stdout;
  let offset = 0;
  for (const blob of blobs) {
    const newline = out.indexOf(0x0a, offset);
    const header = out.subarray(offset, newline).toString().split(' ');
    const size = Number(header[2]);
    if (header[1] !== 'blob' || !Number.isInteger(size)) {
      throw new Error(`git cat-file gave an unexpected answer for '${blob.file}': ${header.join(' ')}`);
    }
    files.set(blob.file, out.subarray(newline + 1, newline + 1 + size).toString('utf8'));
    offset = newline + 1 + size + 1;
  }
  return files;
}

function git(cwd: string, args: string[], input?: string) {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: MAX_OUTPUT, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  if (result.error) {
    // no git installed: the same as not being in a work tree
    return { status: 1, stdout: Buffer.alloc(0), stderr: Buffer.from(result.error.message) };
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function nearestExisting(p: string): string {
  let current = p;
  while (!fs.existsSync(current) || !fs.statSync(current).isDirectory()) {
    const parent = path.dirname(current);
    if (parent === current) {
      return current;
    }
    current = parent;
  }
  return current;
}

/** Whether a read gave files (and not a reason). */
export function isCommitted(result: CommittedFolder | NotCommitted): result is CommittedFolder {
  return (result as CommittedFolder).files !== undefined;
}
