import { OptionSpec, parseArgs, UsageError } from './args';
import { CliIo } from './io';
import { CHECK_USAGE } from './usage';
import { analyze } from '../analyzer/analyze';
import { Finding, FindingSeverity } from '../analyzer/finding';
import { clusterFiles } from '../fleet/fleet-folders';
import { readManifestFiles, sourceLines } from '../manifests/manifest-files';

const SPEC: OptionSpec = {
  'help': 'flag',
  'json': 'flag',
  'known-gateway': 'list',
  'known-host': 'list',
  'ignore': 'list',
};

/** `check`: runs the analyzer; exit code 1 when any finding is an ERROR. */
export function checkCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, SPEC, 'check');
  if (args.flags.has('help')) {
    io.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (args.positionals.length === 0) {
    throw new UsageError('no manifest files or folders given', 'check');
  }
  const findings = withLines(clusterFiles(args.positionals).flatMap((unit) => analyze(readManifestFiles(unit.files), {
    knownGateways: args.lists.get('known-gateway'),
    knownHosts: args.lists.get('known-host'),
    ignoreCodes: args.lists.get('ignore'),
  }).map((f) => (unit.cluster === undefined ? f : { ...f, message: `cluster ${unit.cluster}: ${f.message}` }))));
  io.stdout.write(args.flags.has('json') ? `${JSON.stringify(findings, undefined, 2)}\n` : formatFindings(findings));
  return findings.some((f) => f.severity === FindingSeverity.ERROR) ? 1 : 0;
}

/** Narrows each finding's line from its object's first line to its `path`, reading each file once. */
function withLines(findings: Finding[]): Finding[] {
  const located = findings.filter((f) => f.file !== undefined && f.line !== undefined);
  const lines = sourceLines(located.map((f) => ({ file: f.file!, documentLine: f.line!, path: f.path })));
  const byFinding = new Map(located.map((f, i) => [f, lines[i]]));
  return findings.map((f) => (byFinding.has(f) ? { ...f, line: byFinding.get(f) } : f));
}

/**
 * One block per finding (`SEVERITY CODE Kind ns/name path`, message, fix) and a count line.
 */
export function formatFindings(findings: Finding[]): string {
  if (findings.length === 0) {
    return 'no findings\n';
  }
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.severity} ${f.code} ${f.kind} ${f.namespace}/${f.name}${f.path ? ` ${f.path}` : ''}`);
    if (f.file !== undefined) {
      lines.push(`  at ${f.file}${f.line !== undefined ? `:${f.line}` : ''}`);
    }
    lines.push(`  ${f.message}`);
    lines.push(`  fix: ${f.fix}`);
  }
  const count = (s: FindingSeverity) => findings.filter((f) => f.severity === s).length;
  lines.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${count(FindingSeverity.ERROR)} error(s), ${count(FindingSeverity.WARNING)} warning(s), ${count(FindingSeverity.INFO)} info`);
  return `${lines.join('\n')}\n`;
}
