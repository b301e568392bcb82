import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';

/**
 * The construct path of every object of a synthesis, handed from the app to the validation plugin.
 * The cdk8s CLI runs the app in a child process (`CDK8S_OUTDIR` names the output folder, and
 * `CDK8S_RECORD_CONSTRUCT_METADATA=true` says validations will run) and gives the plugin only the
 * manifest files; its own construct metadata is keyed by object name alone (a Service, a
 * DestinationRule and a VirtualService named `web` share one entry) and GitOpsApp turns it off,
 * because a `.json` file in the output would be applied by ArgoCD. So the paths, keyed by object
 * identity, go to a file outside the output, named after the output folder.
 */

const RECORD_ENV = 'CDK8S_RECORD_CONSTRUCT_METADATA';

/**
 * The folder of the records: per user, because the temporary folder is shared and its names are
 * predictable.
 */
function recordsFolder(): string {
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `cdk8s-istio-traffic-${user}`);
}

/**
 * Whether the records folder is a real folder of this user that nobody else can write, so that no
 * one else can plant a symlink or a forged record in it.
 */
function isPrivateFolder(dir: string): boolean {
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st || !st.isDirectory()) {
    return false;
  }
  const ownUid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  // eslint-disable-next-line no-bitwise
  return st.uid === ownUid && (process.platform === 'win32' || (st.mode & 0o022) === 0);
}

/** The file holding the construct paths of the synthesis into `outdir`. */
export function constructPathsFile(outdir: string): string {
  const hash = createHash('sha256').update(path.resolve(outdir)).digest('hex').slice(0, 24);
  return path.join(recordsFolder(), `construct-paths-${hash}.json`);
}

/**
 * Records `identity -> construct path` when the cdk8s CLI synthesizes for validation; does nothing
 * otherwise (plain `app.synth()`, tests).
 */
export function recordConstructPaths(objects: ReadonlyMap<string, ApiObject>): void {
  const outdir = process.env.CDK8S_OUTDIR;
  if (process.env[RECORD_ENV] !== 'true' || !outdir) {
    return;
  }
  const paths: Record<string, string> = {};
  for (const [identity, obj] of objects) {
    paths[identity] = obj.node.path;
  }
  const file = constructPathsFile(outdir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!isPrivateFolder(path.dirname(file))) {
    // findings then fall back to cdk8s's own metadata; never write through someone else's folder
    return;
  }
  // a new file renamed into place: a reader never sees half a record, and a planted symlink is replaced, not followed
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify({ outdir: path.resolve(outdir), paths }), { flag: 'wx', mode: 0o600 });
  fs.renameSync(partial, file);
}

/**
 * The construct paths recorded for the output folder the manifests were written to (the nearest
 * ancestor folder with a record), empty when the app recorded none. The record is removed once read.
 */
export function readConstructPaths(manifestFiles: string[]): Map<string, string> {
  const tried = new Set<string>();
  for (const file of manifestFiles) {
    for (let dir = path.dirname(path.resolve(file)); !tried.has(dir); dir = path.dirname(dir)) {
      tried.add(dir);
      const record = constructPathsFile(dir);
      if (fs.lstatSync(record, { throwIfNoEntry: false })?.isFile() && isPrivateFolder(path.dirname(record))) {
        return consume(record);
      }
    }
  }
  return new Map();
}

/** Reads and removes a record; an unreadable one (another synthesis writing it) counts as none. */
function consume(record: string): Map<string, string> {
  try {
    const parsed = JSON.parse(fs.readFileSync(record, 'utf8'));
    return new Map(Object.entries(parsed?.paths ?? {}).map(([k, v]) => [k, String(v)]));
  } catch {
    return new Map();
  } finally {
    fs.rmSync(record, { force: true });
  }
}
