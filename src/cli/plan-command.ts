import { OptionSpec, parseArgs, UsageError } from './args';
import { CliIo } from './io';
import { PLAN_USAGE } from './usage';
import { readManifestFiles } from '../manifests/manifest-files';
import { TrafficPlan } from '../plan/traffic-plan';

const SPEC: OptionSpec = { help: 'flag', mermaid: 'flag' };

/** `plan`: prints the traffic plan (Markdown with diagram, or the diagram alone). */
export function planCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, SPEC, 'plan');
  if (args.flags.has('help')) {
    io.stdout.write(PLAN_USAGE);
    return 0;
  }
  if (args.positionals.length === 0) {
    throw new UsageError('no manifest files or folders given', 'plan');
  }
  const plan = TrafficPlan.fromManifests(readManifestFiles(args.positionals));
  io.stdout.write(args.flags.has('mermaid') ? plan.toMermaid() : plan.toDocument());
  return 0;
}
