/**
 * A tiny evaluator for the CEL rules (`x-kubernetes-validations`) of the Istio 1.30.3 CRDs that can
 * be evaluated offline. Each supported rule text is recognised by shape; anything else is reported
 * as unsupported so a test can insist that no rule on emitted data goes unchecked.
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

const has = (obj: any, field: string) => obj !== null && typeof obj === 'object' && obj[field] !== undefined;

/** Evaluates one rule against the value it is attached to. */
export function evaluateRule(rule: string, self: any): RuleResult {
  const text = rule.replace(/\s+/g, ' ').trim();

  if (text === "duration(self) >= duration('1ms')") {
    const ns = parseDuration(self);
    return ns !== undefined && ns >= 1e6 ? 'pass' : 'fail';
  }
  if (text === '0 < self && self <= 65535') {
    return typeof self === 'number' && self > 0 && self <= 65535 ? 'pass' : 'fail';
  }
  if (text === '!self.contains("*")') {
    return typeof self === 'string' && !self.includes('*') ? 'pass' : 'fail';
  }
  if (text === 'self != "*"') {
    return self !== '*' ? 'pass' : 'fail';
  }
  if (text === 'self.all(key, key.size() != 0)') {
    return Object.keys(self ?? {}).every((k) => k.length !== 0) ? 'pass' : 'fail';
  }
  if (text === 'self.all(key, !key.contains("*"))') {
    return Object.keys(self ?? {}).every((k) => !k.includes('*')) ? 'pass' : 'fail';
  }
  const keyMatches = /^self\.all\(key, size\(key\) < 63 && key\.matches\("(.*)"\)\)$/.exec(text);
  if (keyMatches) {
    const re = new RegExp(keyMatches[1]);
    return Object.keys(self ?? {}).every((k) => k.length < 63 && re.test(k)) ? 'pass' : 'fail';
  }
  // "at most one of": (has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1
  const atMostOne = /^(\(has\(self\.\w+\) \? 1 : 0\)(?: \+ \(has\(self\.\w+\) \? 1 : 0\))+) <= 1$/.exec(text);
  if (atMostOne) {
    const fields = [...atMostOne[1].matchAll(/has\(self\.(\w+)\)/g)].map((m) => m[1]);
    return fields.filter((f) => has(self, f)).length <= 1 ? 'pass' : 'fail';
  }
  const listRange = /^self\.size\(\) (>=|<=) (\d+)$/.exec(text);
  if (listRange && Array.isArray(self)) {
    const n = Number(listRange[2]);
    return (listRange[1] === '>=' ? self.length >= n : self.length <= n) ? 'pass' : 'fail';
  }
  if (text === 'self.all(l1, self.exists_one(l2, l1.number == l2.number))') {
    const numbers = (self ?? []).map((x: any) => x?.number);
    return numbers.every((n: any) => numbers.filter((o: any) => o === n).length === 1) ? 'pass' : 'fail';
  }
  // Flux kustomize-controller v1.9.4 kubeConfig: exactly one of configMapRef and secretRef.
  if (text === 'has(self.configMapRef) || has(self.secretRef)') {
    return has(self, 'configMapRef') || has(self, 'secretRef') ? 'pass' : 'fail';
  }
  if (text === '!has(self.configMapRef) || !has(self.secretRef)') {
    return !has(self, 'configMapRef') || !has(self, 'secretRef') ? 'pass' : 'fail';
  }
  return 'unsupported';
}
