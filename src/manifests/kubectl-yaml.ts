import { Composer, Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, Parser, Scalar } from 'yaml';
import { parseSimpleLines } from './simple-yaml';

/**
 * YAML read the way kubectl reads it. kubectl converts YAML to JSON with sigs.k8s.io/yaml, which
 * decodes with go-yaml v2: YAML 1.1 scalars (`yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` is
 * octal), timestamps kept as strings, no sexagesimal numbers, and merge keys (`<<`) applied in
 * document order: a merge overwrites keys written before it, later keys overwrite merged ones, and in
 * `<<: [*a, *b]` the earlier map wins. The `yaml` package's own `merge: true` follows the YAML 1.1
 * merge spec instead (explicit keys always win, wherever they stand), so merges are applied here.
 */

/** One parsed document: its value and the line it starts on. */
export interface ParsedDocument {
  readonly value: unknown;
  /** 1-based line of the document start. */
  readonly line: number;
}

/** A YAML syntax or structure error with its 1-based position. */
export class YamlError extends Error {
  constructor(message: string, public readonly line?: number, public readonly col?: number) {
    super(message);
    this.name = 'YamlError';
  }
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';
// go-yaml v2 resolves neither sexagesimal numbers nor, for untyped values, timestamps
const DROPPED_FORMATS = new Set(['TIME']);
const DROPPED_TAGS = new Set([MERGE_TAG, 'tag:yaml.org,2002:timestamp']);

/** Upper bound on alias expansions per document, against "billion laughs" inputs. */
const MAX_ALIAS_EXPANSIONS = 10000;

function composer(): Composer {
  return new Composer({
    version: '1.1',
    merge: false,
    customTags: (tags) => tags.filter((t: any) => !DROPPED_TAGS.has(t.tag) && !DROPPED_FORMATS.has(t.format)),
  });
}

/**
 * Parses multi-document YAML, calling `each` with every non-empty document in order. Documents in
 * the plain subset most manifests use are read by the fast reader; any other document (and any file
 * with directives or `...` markers) goes through the full parser, document by document, so a file
 * of hundreds of thousands of documents is never held as one syntax tree.
 *
 * @throws YamlError for the first syntax error, with its position
 */
export function forEachDocument(text: string, each: (doc: ParsedDocument, index: number) => void): void {
  if (/^(%|\.\.\.(\s|$))/m.test(text)) {
    parseWithFullReader(text, 0, 0, each);
    return;
  }
  let index = 0;
  let start = 0;
  const lines = text.split('\n');
  const flush = (end: number) => {
    const fast = parseSimpleLines(lines, start, end);
    if (fast) {
      if (fast.value !== null && fast.value !== undefined) {
        each({ value: fast.value, line: fast.firstLine + 1 }, index);
        index++;
      }
    } else {
      index = parseWithFullReader(lines.slice(start, end).join('\n'), start, index, each);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('---') && (l.length === 3 || /^---\s/.test(l))) {
      if (l.slice(3).trim() !== '' && !l.slice(3).trim().startsWith('#')) {
        // content on the marker line (`--- |`, `--- !tag`): leave the whole text to the full reader
        parseWithFullReader(text, 0, 0, each);
        return;
      }
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
}

/** Every non-empty document of `text` read by the full parser only (what the fast reader must agree with). */
export function readWithFullParser(text: string): unknown[] {
  const out: unknown[] = [];
  parseWithFullReader(text, 0, 0, (doc) => out.push(doc.value));
  return out;
}

/**
 * The full `yaml` parser over `text`, which starts at 0-based line `lineOffset` of its file; returns
 * the next document index.
 */
function parseWithFullReader(text: string, lineOffset: number, firstIndex: number, each: (doc: ParsedDocument, index: number) => void): number {
  const lines = new LineCounter();
  const docs = composer().compose(new Parser(lines.addNewLine).parse(text));
  let index = firstIndex;
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const pos = lines.linePos(error.pos[0]);
      // the yaml package appends "at line N, column M:" plus a source excerpt; the position goes up front instead
      const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new YamlError(lowerFirst(what), pos.line + lineOffset, pos.col);
    }
    let value: unknown;
    try {
      value = toKubectlValue(doc);
    } catch (e) {
      if (e instanceof YamlError && e.line === undefined) {
        throw new YamlError(e.message, lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line + lineOffset, 1);
      }
      throw e;
    }
    if (value !== null && value !== undefined) {
      each({ value, line: lines.linePos(doc.contents?.range?.[0] ?? 0).line + lineOffset }, index);
    }
    index++;
  }
  return index;
}

/** A place inside a document: the document's first line (as `forEachDocument` reports it) and a path such as `spec.http[0].match[1]`. */
export interface PathInDocument {
  readonly documentLine: number;
  readonly path: string;
}

/**
 * The 1-based line of each requested path, or of the deepest part of it that exists in the source
 * (merged keys have no line of their own). The text is parsed once for all requests.
 */
export function linesOfPaths(text: string, requests: PathInDocument[]): (number | undefined)[] {
  const byDocument = new Map<number, number[]>();
  requests.forEach((r, i) => {
    const list = byDocument.get(r.documentLine) ?? [];
    list.push(i);
    byDocument.set(r.documentLine, list);
  });
  const out: (number | undefined)[] = requests.map(() => undefined);
  const lines = new LineCounter();
  for (const doc of composer().compose(new Parser(lines.addNewLine).parse(text))) {
    const start = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    for (const i of byDocument.get(start) ?? []) {
      out[i] = lineIn(doc, requests[i].path, lines);
    }
  }
  return out;
}

function lineIn(doc: Document, path: string, lines: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let line = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : undefined;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    const next = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === part)?.value
      : isSeq(node) ? node.items[Number(part)]
        : undefined;
    if (!next || !(next as Node).range) {
      break;
    }
    node = next;
    line = lines.linePos((next as Node).range![0]).line;
  }
  return line;
}

function toKubectlValue(doc: Document): unknown {
  let expansions = 0;
  const resolve = (node: unknown): unknown => {
    if (isAlias(node)) {
      if (++expansions > MAX_ALIAS_EXPANSIONS) {
        throw new YamlError(`more than ${MAX_ALIAS_EXPANSIONS} alias expansions in one document`, undefined);
      }
      return node.resolve(doc);
    }
    return node;
  };
  const mergeInto = (out: Record<string, unknown>, raw: unknown): void => {
    const node = resolve(raw);
    if (isMap(node)) {
      fillMap(out, node);
    } else if (isSeq(node)) {
      // go-yaml v2 applies the list backwards, so earlier maps take precedence
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = resolve(node.items[i]);
        if (!isMap(item)) {
          throw mergeError();
        }
        fillMap(out, item);
      }
    } else {
      throw mergeError();
    }
  };
  const fillMap = (out: Record<string, unknown>, map: { items: { key: unknown; value: unknown }[] }): void => {
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        mergeInto(out, pair.value);
      } else {
        out[String(convert(pair.key))] = convert(pair.value);
      }
    }
  };
  const convert = (raw: unknown): unknown => {
    const node = resolve(raw);
    if (isScalar(node)) {
      return node.value;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      fillMap(out, node);
      return out;
    }
    if (isSeq(node)) {
      return node.items.map(convert);
    }
    return null;
  };
  const mergeError = () => new YamlError('map merge requires map or sequence of maps as the value');
  return convert(doc.contents);
}

/** A plain (or `!!merge`-tagged) `<<` key; a quoted `"<<"` is an ordinary key, as in go-yaml v2. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key as Scalar).value === '<<' && ((key as Scalar).type === Scalar.PLAIN || (key as Scalar).tag === MERGE_TAG || (key as Scalar).tag === '!!merge');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
