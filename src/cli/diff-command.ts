import * as fs from 'fs';
import { OptionSpec, parseArgs, UsageError } from './args';
import { CliIo } from './io';
import { DIFF_USAGE } from './usage';
import { formatTrafficDiff } from '../gitops/format-diff';
import { isCommitted, readCommittedFolder } from '../gitops/git-tree';
import { isManifestFile, LocatedObject, objectsOfTree, readOutputObjects } from '../gitops/manifest-files';
import { diffTraffic } from '../gitops/traffic-diff';

const SPEC: OptionSpec = { help: 'flag', dir: 'value' };

/** `diff`: the traffic rows that change between two outputs and the safety verdict; exit code 1 when unsafe. */
export function diffCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, SPEC, 'diff');
  if (args.flags.has('help')) {
    io.stdout.write(DIFF_USAGE);
    return 0;
  }
  if (args.positionals.length !== 2) {
    throw new UsageError(`expected <base> and <head>, got ${args.positionals.length} argument${args.positionals.length === 1 ? '' : 's'}`, 'diff');
  }
  const dir = args.values.get('dir');
  const [base, head] = args.positionals.map((side) => readSide(side, dir));
  const diff = diffTraffic(base.objects, head.objects);
  io.stdout.write(formatTrafficDiff(diff, base.description, head.description));
  return diff.problems.length > 0 ? 1 : 0;
}

/** One side: a folder, `<ref>:<folder>`, or with `--dir` a ref of that folder. */
function readSide(side: string, dir: string | undefined): { objects: LocatedObject[]; description: string } {
  if (dir !== undefined) {
    return committed(dir, side);
  }
  if (fs.existsSync(side)) {
    if (!fs.statSync(side).isDirectory()) {
      throw new UsageError(`'${side}' is a file; give the output folder`, 'diff');
    }
    return { objects: readOutputObjects(side), description: side };
  }
  const colon = side.indexOf(':');
  if (colon > 0) {
    return committed(side.slice(colon + 1) || '.', side.slice(0, colon));
  }
  throw new UsageError(`'${side}' is neither a folder nor <ref>:<folder>`, 'diff');
}

function committed(dir: string, ref: string): { objects: LocatedObject[]; description: string } {
  const read = readCommittedFolder(dir, ref, isManifestFile, true);
  if (!isCommitted(read)) {
    throw new Error(`cannot read '${dir}' at ${ref}: ${read.reason}`);
  }
  return { objects: objectsOfTree(read.files, read.description), description: read.description };
}
