import { UsageError } from './args';
import { checkCommand } from './check-command';
import { diffCommand } from './diff-command';
import { CliIo } from './io';
import { planCommand } from './plan-command';
import { routeCommand } from './route-command';
import { TOOL, TOOL_USAGE } from './usage';
import { ManifestFileError } from '../manifests/manifest-files';

const COMMANDS: Record<string, (argv: string[], io: CliIo) => number> = {
  route: routeCommand,
  plan: planCommand,
  check: checkCommand,
  diff: diffCommand,
};

/**
 * The whole command-line tool as a function: arguments in, exit code out. Never throws and never
 * prints a stack trace; problems go to stderr with exit code 2.
 *
 * @param argv arguments after the program name
 * @param io where output and errors go
 */
export function runCli(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(TOOL_USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) {
      throw new UsageError(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`);
    }
    return run(rest, io);
  } catch (e: any) {
    if (e instanceof UsageError) {
      const help = e.command ? `${TOOL} ${e.command} --help` : `${TOOL} --help`;
      io.stderr.write(`${TOOL}: ${e.message}\nrun '${help}' for usage\n`);
      return 2;
    }
    if (e instanceof ManifestFileError) {
      io.stderr.write(`${TOOL}: ${e.message}\n`);
      return 2;
    }
    // simulator and analyzer errors describe bad input (unknown gateway, invalid regex); no stack trace
    io.stderr.write(`${TOOL}: ${e?.message ?? String(e)}\n`);
    return 2;
  }
}
