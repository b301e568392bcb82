import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { evaluateRule } from './cel-rules';
import type { SchemaExtract } from '../../scripts/import-crds';

/**
 * The committed schema extracts of the official CRDs (`npx projen import` writes them), one per
 * source: `istio` (Istio 1.30.3 networking and security), `flagger` (Flagger 1.44.0),
 * `gateway-api-standard` and `gateway-api-experimental` (Gateway API v1.5.1, both channels).
 */
export const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'imports', 'schemas');

/** One problem found in an object. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

interface VersionSchema {
  readonly schema: any;
  /** Compiled on first use: some schemas (Argo CD's ApplicationSet) take seconds to compile. */
  readonly validate: () => ValidateFunction;
}

const INT32 = { min: -2147483648, max: 2147483647 };

/**
 * Validates objects against the CRD `openAPIV3Schema` of their group, version and kind, as the API
 * server would on create: schema defaults filled in first, then the structural schema (with unknown
 * `spec` fields rejected, as with strict field validation, since the server would silently prune
 * them) and every CEL rule.
 */
export class CrdSchemas {
  /** Loads the served versions of every kind in the named extracts. */
  public static load(...sources: string[]): CrdSchemas {
    const extracts = (sources.length > 0 ? sources : ['istio']).map((source): SchemaExtract => {
      const file = path.join(SCHEMAS_DIR, `${source}.json`);
      if (!fs.existsSync(file)) {
        throw new Error(`schema extract '${file}' not found: run 'npx projen import' to write it`);
      }
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    });
    return new CrdSchemas(extracts.flatMap((extract) => extract.kinds));
  }

  private readonly versions = new Map<string, VersionSchema>();
  /** CEL rules met on validated data that the evaluator cannot evaluate (text → first path). */
  public readonly unsupportedRules = new Map<string, string>();

  private constructor(kinds: SchemaExtract['kinds']) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
    ajv.addFormat('double', { type: 'number', validate: () => true });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    // Flagger's CRDs write `format: string`, which constrains nothing.
    ajv.addFormat('string', () => true);
    ajv.addFormat('url', (text: string) => URL.canParse(text));
    ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    // Gateway addresses (never written by the library).
    ajv.addFormat('ipv4', /^(\d{1,3}\.){3}\d{1,3}$/);
    ajv.addFormat('ipv6', /^[0-9a-fA-F:.]+$/);
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const entry of kinds) {
      const schema = strictSpec(entry.openAPIV3Schema);
      let compiled: ValidateFunction | undefined;
      const validate = () => (compiled ??= ajv.compile(schema));
      for (const version of entry.versions) {
        this.versions.set(`${entry.group}/${version}|${entry.kind}`, { schema, validate });
      }
    }
  }

  /** Whether the object's apiVersion/kind is a kind of the loaded extracts. */
  public covers(obj: any): boolean {
    return this.versions.has(`${obj?.apiVersion}|${obj?.kind}`);
  }

  /** Problems of one object; empty when the API server would accept it. */
  public validate(obj: any): SchemaProblem[] {
    const entry = this.versions.get(`${obj?.apiVersion}|${obj?.kind}`);
    if (!entry) {
      return [{ path: '', message: `no CRD for ${obj?.apiVersion} ${obj?.kind}` }];
    }
    obj = withDefaults(entry.schema, JSON.parse(JSON.stringify(obj)));
    const problems: SchemaProblem[] = [];
    const validate = entry.validate();
    if (!validate(obj)) {
      for (const e of validate.errors ?? []) {
        problems.push({ path: e.instancePath, message: `${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}` });
      }
    }
    this.checkRules(entry.schema, obj, '', problems);
    return problems;
  }

  private checkRules(schema: any, value: any, at: string, problems: SchemaProblem[]): void {
    if (!schema || value === undefined || value === null) {
      return;
    }
    for (const rule of schema['x-kubernetes-validations'] ?? []) {
      const result = evaluateRule(rule.rule, value, schema);
      if (result === 'fail') {
        problems.push({ path: at, message: `${rule.message ?? 'rule failed'} (${rule.rule})` });
      } else if (result === 'unsupported' && !this.unsupportedRules.has(rule.rule)) {
        this.unsupportedRules.set(rule.rule, at);
      }
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkRules(schema.items, item, `${at}/${i}`, problems));
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        this.checkRules(child, v, `${at}/${k}`, problems);
      }
    }
  }
}

/**
 * The object with the schema's `default`s filled in where a field is absent, as the API server
 * does before validation (Gateway API rules read defaulted fields such as `rules[].matches`).
 */
export function withDefaults(schema: any, value: any): any {
  if (!schema || value === null || value === undefined) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => withDefaults(schema.items, item));
  }
  if (typeof value === 'object') {
    for (const [key, sub] of Object.entries<any>(schema.properties ?? {})) {
      if (value[key] === undefined && sub.default !== undefined) {
        value[key] = JSON.parse(JSON.stringify(sub.default));
      }
      if (value[key] !== undefined) {
        value[key] = withDefaults(sub, value[key]);
      }
    }
  }
  return value;
}

/**
 * A copy of the schema whose `spec` objects reject unknown fields: the API server prunes them
 * silently, which for generated config means a field the library thinks it set has no effect.
 */
function strictSpec(root: any): any {
  const copy = JSON.parse(JSON.stringify(root));
  const visit = (s: any) => {
    if (!s || typeof s !== 'object') {
      return;
    }
    if (s.type === 'object' && s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) {
      s.additionalProperties = false;
    }
    for (const key of ['properties', 'patternProperties']) {
      Object.values(s[key] ?? {}).forEach(visit);
    }
    for (const key of ['items', 'additionalProperties', 'not']) {
      visit(s[key]);
    }
    for (const key of ['oneOf', 'anyOf', 'allOf']) {
      (s[key] ?? []).forEach(visit);
    }
  };
  visit(copy.properties?.spec);
  return copy;
}

/** Every object in the committed example output (each example's dist folder), if the examples task has written it. */
export function exampleManifests(): any[] {
  const root = path.join(__dirname, '..', '..', 'examples');
  const files = fs.existsSync(root) ? fs.readdirSync(root).flatMap((d) => yamlFiles(path.join(root, d, 'dist'))) : [];
  return files.flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()));
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}
