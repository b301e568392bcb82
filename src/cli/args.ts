/**
 * A small hand-written option parser: `--name value`, `--name=value`, repeatable options and
 * flags. Anything it does not know is a usage error, never silently ignored.
 */

/** Wrong command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `flag`: no value; `value`: one value; `list`: repeatable, values collected in order. */
export type OptionKind = 'flag' | 'value' | 'list';

export type OptionSpec = Record<string, OptionKind>;

export interface ParsedArgs {
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly lists: Map<string, string[]>;
  readonly positionals: string[];
}

/**
 * Parses `argv` against `spec` (option names without `--`). `-h` is `--help`; `--` ends options.
 */
export function parseArgs(argv: string[], spec: OptionSpec, command?: string): ParsedArgs {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), lists: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      parsed.flags.add('help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new UsageError(`unknown option '${arg}'`, command);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) {
      throw new UsageError(`unknown option '--${name}'`, command);
    }
    if (kind === 'flag') {
      if (eq >= 0) {
        throw new UsageError(`option '--${name}' takes no value`, command);
      }
      parsed.flags.add(name);
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length) {
        throw new UsageError(`option '--${name}' needs a value`, command);
      }
      value = argv[++i];
    }
    if (kind === 'value') {
      if (parsed.values.has(name)) {
        throw new UsageError(`option '--${name}' given twice`, command);
      }
      parsed.values.set(name, value);
    } else {
      parsed.lists.set(name, [...parsed.lists.get(name) ?? [], value]);
    }
  }
  return parsed;
}

/**
 * Splits `key=value` (the first `=` separates, so values may contain `=`).
 */
export function keyValue(text: string, option: string, command?: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new UsageError(`option '--${option}' expects key=value, got '${text}'`, command);
  }
  return [text.slice(0, eq), text.slice(eq + 1)];
}
