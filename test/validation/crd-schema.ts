import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { evaluateRule } from './cel-rules';
import type { SchemaExtract } from '../../scripts/import-crds';

/**
 * The committed schema extracts of the official CRDs (`npx projen import` writes them), one per
 * source: `istio` (Istio 1.30.3 networking and security), `flagger` (Flagger 1.44.0).
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
 * Validates Istio objects against the CRD `openAPIV3Schema` of their group, version and kind, as the
 * API server would: structural schema (with unknown `spec` fields rejected, as with strict field
 * validation, since the server would silently prune them) plus the CEL rules that can be evaluated
 * offline.
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
    // Flagger's CRDs write `format: string`, which constrains nothing.
    ajv.addFormat('string', () => true);
    ajv.addFormat('url', (text: string) => URL.canParse(text));
    ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
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
      const result = evaluateRule(rule.rule, value);
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
