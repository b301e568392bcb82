import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * Evaluates the CEL rules (`x-kubernetes-validations`) of the CRD schemas with a CEL engine, the
 * way the API server does on create: transition rules (`oldSelf`) do not apply, integers are CEL
 * ints, and Kubernetes' string extensions (`split`, `substring`, ...) are available. A rule the
 * engine cannot evaluate (a Kubernetes-only function such as `isIP`) is reported as unsupported,
 * so a test can insist that no rule on emitted data goes unchecked.
 */

export type RuleResult = 'pass' | 'fail' | 'unsupported';

const DURATION_UNITS: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 };

/** Parses a Go/CEL duration (`1.5s`, `100ms`, `1h30m`) to nanoseconds; undefined if malformed. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length === 0) {
    return undefined;
  }
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  const body = text.startsWith('-') ? text.slice(1) : text;
  while ((m = re.exec(body)) !== null) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== body.length || consumed === 0) {
    return undefined;
  }
  return text.startsWith('-') ? -total : total;
}

const env = celEnv({ funcs: strings });
const plans = new Map<string, ReturnType<typeof plan> | undefined>();

/** Evaluates one rule against the value it is attached to, whose schema is `schema`. */
export function evaluateRule(rule: string, self: unknown, schema: any): RuleResult {
  if (/\boldSelf\b/.test(rule)) {
    return 'pass';
  }
  if (!plans.has(rule)) {
    try {
      plans.set(rule, plan(env, parse(rule)));
    } catch {
      plans.set(rule, undefined);
    }
  }
  const evaluate = plans.get(rule);
  if (!evaluate) {
    return 'unsupported';
  }
  const result = evaluate({ self: toCel(self, schema) } as any);
  if (isCelError(result)) {
    return 'unsupported';
  }
  return result === true ? 'pass' : result === false ? 'fail' : 'unsupported';
}

/** JSON as CEL sees it under the schema: `integer` fields are ints (bigint), maps are Maps. */
function toCel(value: unknown, schema: any): any {
  if (Array.isArray(value)) {
    return value.map((item) => toCel(item, schema?.items));
  }
  if (typeof value === 'number') {
    return schema?.type === 'integer' && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v, schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined))]));
  }
  return value;
}
