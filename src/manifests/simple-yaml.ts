import { Document, isScalar } from 'yaml';

/**
 * A fast reader for the plain subset of YAML that synthesized and hand-written manifests almost
 * always use: block mappings and sequences indented with spaces, one-line flow collections, plain
 * and quoted one-line scalars, comments. Scalars resolve with the `yaml` package's own YAML 1.1
 * tags, so values equal what the full reader produces. Anything else (anchors, aliases, tags, merge
 * keys, block scalars, multi-line scalars, tabs, duplicate keys, odd indicators) returns undefined and
 * the caller falls back to the full parser, which also reports syntax errors. The full parser reads
 * about a megabyte per second; a folder of 5,000 releases would take most of a minute.
 */

/** Thrown inside the reader when the input leaves the subset. */
class Unsupported extends Error {}

interface ScalarTag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly format?: string;
  readonly tag: string;
  resolve(value: string, onError: (msg: string) => void, options: any): unknown;
}

let plainTags: ScalarTag[] | undefined;

/** The YAML 1.1 scalar tags the full reader uses, minus timestamps and sexagesimal numbers (as go-yaml v2). */
function scalarTags(): ScalarTag[] {
  if (!plainTags) {
    let captured: ScalarTag[] = [];
    new Document(null, {
      version: '1.1',
      customTags: (tags: any[]) => {
        captured = tags.filter((t) => t.test && t.default === true && t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp');
        return tags;
      },
    });
    plainTags = captured;
  }
  return plainTags;
}

const RESOLVE_OPTIONS = { intAsBigInt: false };

function resolvePlain(text: string): unknown {
  for (const tag of scalarTags()) {
    if (tag.test!.test(text)) {
      const value = tag.resolve(text, () => {
        throw new Unsupported();
      }, RESOLVE_OPTIONS);
      // some tags (booleans) resolve to a Scalar node
      return isScalar(value) ? value.value : value;
    }
  }
  return text;
}

interface Line {
  readonly indent: number;
  /** Content without indentation (comments still in). */
  readonly text: string;
}

/**
 * Parses one document's text (without the `---` marker). Returns undefined when the document is
 * outside the subset.
 */
export function parseSimpleDocument(source: string): { value: unknown; firstLine: number } | undefined {
  const lines = source.split('\n');
  return parseSimpleLines(lines, 0, lines.length);
}

/**
 * Parses lines `start` to `end` (exclusive) of a file as one document, without copying them;
 * `firstLine` is the 0-based index of the first line with content. Returns undefined when the
 * document is outside the subset.
 */
export function parseSimpleLines(all: string[], start: number, end: number): { value: unknown; firstLine: number } | undefined {
  const lines: Line[] = [];
  let firstLine = start;
  for (let n = start; n < end; n++) {
    const raw = all[n];
    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) {
      indent++;
    }
    if (indent === raw.length || raw.charCodeAt(indent) === 35 /* # */ || (indent === raw.length - 1 && raw.charCodeAt(indent) === 13)) {
      continue;
    }
    if (raw.charCodeAt(indent) === 9 /* tab */) {
      return undefined;
    }
    if (lines.length === 0) {
      firstLine = n;
    }
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(indent, -1) : indent === 0 ? raw : raw.slice(indent);
    lines.push({ indent, text });
  }
  if (lines.length === 0) {
    return { value: null, firstLine };
  }
  try {
    const reader = new BlockReader(lines);
    const value = reader.block(0, lines[0].indent);
    if (reader.pos !== lines.length) {
      return undefined;
    }
    return { value, firstLine };
  } catch (e) {
    if (e instanceof Unsupported) {
      return undefined;
    }
    throw e;
  }
}

class BlockReader {
  public pos = 0;
  constructor(private readonly lines: Line[]) {}

  /** A block node whose lines start at `indent`. */
  public block(start: number, indent: number): unknown {
    this.pos = start;
    const first = this.lines[start];
    if (first.indent !== indent) {
      throw new Unsupported();
    }
    if (isSequenceEntry(first.text)) {
      return this.sequence(indent);
    }
    if (splitKey(first.text) === undefined) {
      // a lone scalar document
      const value = inlineValue(first.text);
      this.pos++;
      return value;
    }
    return this.mapping(indent, first.text);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (this.pos < this.lines.length && this.lines[this.pos].indent === indent && isSequenceEntry(this.lines[this.pos].text)) {
      const rest = this.lines[this.pos].text.slice(1);
      const content = rest.trimStart();
      if (content === '' || content.startsWith('#')) {
        this.pos++;
        out.push(this.nested(indent, true));
        continue;
      }
      const column = indent + 1 + (rest.length - content.length);
      if (isSequenceEntry(content)) {
        throw new Unsupported();
      }
      if (splitKey(content) !== undefined) {
        // `- key: value` opens a mapping whose keys line up with `key`
        out.push(this.mapping(column, content));
      } else {
        out.push(inlineValue(content));
        this.pos++;
        this.noContinuation(indent);
      }
    }
    return out;
  }

  /**
   * A mapping whose keys sit at `indent`; `firstText` is the first entry's text (it may start mid-line
   * after `- `).
   */
  private mapping(indent: number, firstText: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let text: string | undefined = firstText;
    while (text !== undefined) {
      const split = splitKey(text);
      if (!split) {
        throw new Unsupported();
      }
      const { key, rest } = split;
      if (key === '<<' || Object.prototype.hasOwnProperty.call(out, key)) {
        throw new Unsupported();
      }
      this.pos++;
      const value = rest.trim();
      if (value === '' || value.startsWith('#')) {
        out[key] = this.nested(indent, false);
      } else {
        out[key] = inlineValue(value);
        this.noContinuation(indent);
      }
      const next = this.lines[this.pos];
      text = next && next.indent === indent && !isSequenceEntry(next.text) ? next.text : undefined;
    }
    return out;
  }

  /** The value on the lines after a `key:` or `-` that has nothing on its own line. */
  private nested(parentIndent: number, inSequence: boolean): unknown {
    const next = this.lines[this.pos];
    if (!next) {
      return null;
    }
    if (next.indent > parentIndent) {
      return this.block(this.pos, next.indent);
    }
    // `key:` followed by `- item` at the key's own indentation is a sequence value
    if (!inSequence && next.indent === parentIndent && isSequenceEntry(next.text)) {
      return this.sequence(parentIndent);
    }
    return null;
  }

  /** A deeper line right after a scalar would continue it (multi-line plain scalar): not supported. */
  private noContinuation(indent: number): void {
    const next = this.lines[this.pos];
    if (next && next.indent > indent) {
      throw new Unsupported();
    }
  }
}

function isSequenceEntry(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Splits `key: rest` (plain or quoted key), or undefined when the text is no mapping entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  const c = text.charAt(0);
  if (c === '[' || c === '{') {
    // a flow collection is a value, never a block key here
    return undefined;
  }
  if (c === '"' || c === '\'') {
    const { value, end } = quoted(text, 0);
    if (text.charAt(end) !== ':' || (end + 1 < text.length && text.charAt(end + 1) !== ' ')) {
      return undefined;
    }
    return { key: String(value), rest: text.slice(end + 1) };
  }
  let i = text.indexOf(':');
  while (i >= 0 && i + 1 < text.length && text.charAt(i + 1) !== ' ') {
    i = text.indexOf(':', i + 1);
  }
  if (i <= 0) {
    return undefined;
  }
  const raw = text.slice(0, i);
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(raw) && !/^-[^\s]/.test(raw)) {
    throw new Unsupported();
  }
  if (raw.includes(' #') || raw !== raw.trimEnd() || raw.includes('\t')) {
    throw new Unsupported();
  }
  return { key: String(resolvePlain(raw)), rest: text.slice(i + 1) };
}

/** A value written on the same line as its key or `-`: flow collection, quoted or plain scalar. */
function inlineValue(text: string): unknown {
  const c = text.charAt(0);
  if (c === '[' || c === '{') {
    const flow = new FlowReader(text);
    const value = flow.value();
    flow.end();
    return value;
  }
  if (c === '"' || c === '\'') {
    const { value, end } = quoted(text, 0);
    const after = text.slice(end).trim();
    if (after !== '' && !after.startsWith('#')) {
      throw new Unsupported();
    }
    return value;
  }
  if (/^[?:,\]}#&*!|>%@`]/.test(text) || (c === '-' && (text.length === 1 || text.charAt(1) === ' '))) {
    throw new Unsupported();
  }
  const hash = text.indexOf(' #');
  const plain = (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
  if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t')) {
    throw new Unsupported();
  }
  return resolvePlain(plain);
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  'a': '\x07',
  'b': '\b',
  't': '\t',
  'n': '\n',
  'v': '\v',
  'f': '\f',
  'r': '\r',
  'e': '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  'N': '\u0085',
  '_': '\u00a0',
  'L': '\u2028',
  'P': '\u2029',
};

/** A one-line quoted scalar starting at `start`; `end` is just after the closing quote. */
function quoted(text: string, start: number): { value: string; end: number } {
  const q = text.charAt(start);
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (q === '\'' && c === '\'') {
      if (text.charAt(i + 1) === '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (q === '"' && c === '"') {
      return { value: out, end: i + 1 };
    }
    if (q === '"' && c === '\\') {
      const e = text.charAt(i + 1);
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex > 0) {
        const digits = text.slice(i + 2, i + 2 + hex);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) {
          throw new Unsupported();
        }
        out += String.fromCodePoint(parseInt(digits, 16));
        i += 2 + hex;
        continue;
      }
      if (!(e in ESCAPES)) {
        throw new Unsupported();
      }
      out += ESCAPES[e];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  // the scalar goes on to the next line
  throw new Unsupported();
}

/** One-line flow collections: `{ a: 1, b: [x, "y"] }`. */
class FlowReader {
  private i = 0;
  constructor(private readonly text: string) {}

  public value(): unknown {
    this.space();
    const c = this.text.charAt(this.i);
    if (c === '{') {
      return this.map();
    }
    if (c === '[') {
      return this.seq();
    }
    if (c === '"' || c === '\'') {
      const { value, end } = quoted(this.text, this.i);
      this.i = end;
      return value;
    }
    return resolvePlain(this.plain(false));
  }

  /** Only whitespace or a comment may follow the collection. */
  public end(): void {
    this.space();
    const rest = this.text.slice(this.i);
    if (rest !== '' && !rest.startsWith('#')) {
      throw new Unsupported();
    }
    if (rest.startsWith('#') && this.text.charAt(this.i - 1) !== ' ') {
      throw new Unsupported();
    }
  }

  private map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (;;) {
      this.space();
      if (this.text.charAt(this.i) === '}') {
        this.i++;
        return out;
      }
      const c = this.text.charAt(this.i);
      let key: string;
      if (c === '"' || c === '\'') {
        const q = quoted(this.text, this.i);
        key = q.value;
        this.i = q.end;
      } else {
        key = String(resolvePlain(this.plain(true)));
      }
      this.space();
      if (this.text.charAt(this.i) !== ':' || key === '<<' || Object.prototype.hasOwnProperty.call(out, key)) {
        throw new Unsupported();
      }
      this.i++;
      const after = this.text.charAt(this.i);
      if (after !== ' ' && after !== ',' && after !== '}' && c !== '"' && c !== '\'') {
        throw new Unsupported();
      }
      this.space();
      const next = this.text.charAt(this.i);
      out[key] = next === ',' || next === '}' ? null : this.value();
      this.separator('}');
    }
  }

  private seq(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (;;) {
      this.space();
      if (this.text.charAt(this.i) === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.text.charAt(this.i) === ':') {
        // `[a: b]` is a single-pair mapping
        throw new Unsupported();
      }
      this.separator(']');
    }
  }

  private separator(close: string): void {
    this.space();
    const c = this.text.charAt(this.i);
    if (c === ',') {
      this.i++;
    } else if (c !== close) {
      throw new Unsupported();
    }
  }

  /** A plain scalar in flow context: up to `,[]{}`, or `: ` for keys. */
  private plain(isKey: boolean): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text.charAt(this.i);
      if (c === ',' || c === '[' || c === ']' || c === '{' || c === '}') {
        break;
      }
      if (c === ':' && (isKey || /[\s,\]}]/.test(this.text.charAt(this.i + 1) || ' '))) {
        break;
      }
      if (c === '#' && this.text.charAt(this.i - 1) === ' ') {
        throw new Unsupported();
      }
      this.i++;
    }
    const raw = this.text.slice(start, this.i).trim();
    if (raw === '' || /^[-?:#&*!|>'"%@`]/.test(raw) && !/^-[^\s]/.test(raw)) {
      throw new Unsupported();
    }
    return raw;
  }

  private space(): void {
    while (this.text.charAt(this.i) === ' ') {
      this.i++;
    }
  }
}
