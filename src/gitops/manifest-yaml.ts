import * as path from 'path';
import { Yaml } from 'cdk8s';

/**
 * The YAML text cdk8s writes for one Kubernetes object (`Yaml.stringify(object)`: the `yaml`
 * package cdk8s bundles, YAML 1.1, `lineWidth: 0`), byte for byte, at a fraction of the cost.
 *
 * Serialization is most of a synthesis: the `yaml` package builds a document tree for every object
 * before printing it. Manifests are plain JSON data, so this prints block maps and sequences
 * directly and decides each scalar as the `yaml` package would:
 *
 * - a string is printed plain when it is made of letters, digits and `_./-` only, does not start
 *   with `-` or `.`, and no tag of the YAML 1.1 schema cdk8s uses (booleans such as `y` and `off`,
 *   numbers such as `e5` or `0x1f`, timestamps, null) would read it back as something else: the
 *   schema's own tests are asked, so the rule cannot drift from the package;
 * - any other single-line string or number is printed by the package itself, once per distinct
 *   value (its text on one line does not depend on where it stands in a block);
 * - anything else (multi-line strings, long or unusual keys, `undefined`, objects that are not
 *   plain data) sends the whole object to `Yaml.stringify`.
 *
 * test/gitops/manifest-yaml.test.ts compares the two on every example and on random objects.
 */
export function manifestYaml(object: unknown): string {
  if (!isPlainObject(object) || Object.keys(object).length === 0) {
    return Yaml.stringify(object);
  }
  const out: string[] = [];
  return printMap(object, '', out) ? out.join('') : Yaml.stringify(object);
}

/** Appends the lines of a non-empty block map; false when some value needs the `yaml` package. */
function printMap(map: Record<string, unknown>, indent: string, out: string[], firstIndent = indent): boolean {
  let lead = firstIndent;
  for (const key of Object.keys(map)) {
    const k = keyText(key);
    if (k === undefined) {
      return false;
    }
    out.push(lead, k, ':');
    lead = indent;
    if (!printValue(map[key], indent, out)) {
      return false;
    }
  }
  return true;
}

/** Appends the items of a non-empty block sequence, `- ` at `indent`. */
function printSeq(seq: unknown[], indent: string, out: string[], firstIndent = indent): boolean {
  let lead = firstIndent;
  const inner = `${indent}  `;
  for (const item of seq) {
    out.push(lead, '-');
    lead = indent;
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      if (!printMap(item, inner, out, ' ')) {
        return false;
      }
    } else if (Array.isArray(item) && item.length > 0) {
      if (!printSeq(item, inner, out, ' ')) {
        return false;
      }
    } else {
      const text = flatText(item);
      if (text === undefined) {
        return false;
      }
      out.push(' ', text, '\n');
    }
  }
  return true;
}

/** Appends what follows `key:` (a scalar on the line, or a nested block below it). */
function printValue(value: unknown, indent: string, out: string[]): boolean {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    out.push('\n');
    return printMap(value, `${indent}  `, out);
  }
  if (Array.isArray(value) && value.length > 0) {
    out.push('\n');
    return printSeq(value, `${indent}  `, out);
  }
  const text = flatText(value);
  if (text === undefined) {
    return false;
  }
  out.push(' ', text, '\n');
  return true;
}

/** A scalar or an empty collection as printed on one line; undefined when it takes more. */
function flatText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return plainSafe(value) ? value : quotedLine(value);
    case 'number':
      return Number.isSafeInteger(value) ? String(value) : quotedLine(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) {
        return 'null';
      }
      if (Array.isArray(value)) {
        return value.length === 0 ? '[]' : undefined;
      }
      return isPlainObject(value) && Object.keys(value).length === 0 ? '{}' : undefined;
    default:
      return undefined;
  }
}

const PLAIN_CHARACTERS = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const MAX_KEY = 1000;

function plainSafe(value: string): boolean {
  const schema = schemaTests();
  return schema !== null && PLAIN_CHARACTERS.test(value) && !schema.some((test) => test.test(value));
}

function keyText(key: string): string | undefined {
  if (plainSafe(key)) {
    return key;
  }
  if (key.length > MAX_KEY || /[\n\r]/.test(key)) {
    return undefined;
  }
  let text = quotedKeys.get(key);
  if (text === undefined) {
    const line = Yaml.stringify({ [key]: null });
    text = line.slice(0, line.length - ': null\n'.length);
    if (quotedKeys.size >= MAX_CACHED) {
      quotedKeys.clear();
    }
    quotedKeys.set(key, text);
  }
  return text;
}

/**
 * Strings and numbers that are not trivially plain, as the `yaml` package prints them after `k: `.
 * Manifests repeat such values (regular expressions, images with tags, weights), so each is
 * decided once; the caches are emptied when they grow past `MAX_CACHED`, so a long-lived process
 * does not keep every value it ever printed.
 */
const quotedValues = new Map<string | number, string | undefined>();
const quotedKeys = new Map<string, string>();
const MAX_CACHED = 50_000;

function quotedLine(value: string | number): string | undefined {
  if (quotedValues.has(value)) {
    return quotedValues.get(value);
  }
  let text: string | undefined;
  if (typeof value === 'number' || !/[\n\r]/.test(value)) {
    const line = Yaml.stringify({ k: value });
    text = line.slice('k: '.length, line.length - 1);
    if (text.includes('\n')) {
      text = undefined;
    }
  }
  if (quotedValues.size >= MAX_CACHED) {
    quotedValues.clear();
  }
  quotedValues.set(value, text);
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

let tests: RegExp[] | null | undefined;

/**
 * The tests of every tag in the YAML 1.1 schema of the `yaml` package cdk8s itself loads (it
 * bundles its own copy), except strings: a plain scalar one of them matches would read back as a
 * boolean, number, timestamp or null, so the package quotes it. Null when that package cannot be
 * found (a bundled app): then no string is taken for plain without asking the package.
 */
function schemaTests(): RegExp[] | null {
  if (tests === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yaml = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
      const schema = new yaml.Document(null, { version: '1.1' }).schema;
      tests = [...schema.tags, ...(schema.compat ?? [])]
        .filter((tag: any) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp)
        .map((tag: any) => tag.test as RegExp);
    } catch {
      tests = null;
    }
  }
  return tests ?? null;
}
