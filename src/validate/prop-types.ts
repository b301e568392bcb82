/**
 * Type checks for props at the jsii boundary. TypeScript checks them at compile time, but JavaScript
 * and other jsii languages can pass any value; without these checks a wrong type surfaces as a
 * `TypeError` deep inside the library, naming neither the construct nor the prop.
 */

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof value === 'string' ? `the string '${value}'` : `${typeof value} ${String(value)}`;
}

function fail(where: string, what: string, value: unknown, expected: string): never {
  throw new Error(`${where}: invalid ${what}: expected ${expected}, got ${describe(value)}`);
}

/** Throws unless `value` is an object (a props struct). */
export function requireObject(where: string, what: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(where, what, value, 'an object');
  }
}

/** Throws unless `value` is a string, or undefined when `optional`. */
export function requireString(where: string, what: string, value: unknown, optional = false): void {
  if (!(typeof value === 'string' || (optional && value === undefined))) {
    fail(where, what, value, 'a string');
  }
}

/** Throws unless `value` is a number, or undefined when `optional`. */
export function requireNumber(where: string, what: string, value: unknown, optional = false): void {
  if (!(typeof value === 'number' || (optional && value === undefined))) {
    fail(where, what, value, 'a number');
  }
}

/** Throws unless `value` is a boolean, or undefined when `optional`. */
export function requireBoolean(where: string, what: string, value: unknown, optional = false): void {
  if (!(typeof value === 'boolean' || (optional && value === undefined))) {
    fail(where, what, value, 'true or false');
  }
}

/** Throws unless `value` is an array (or undefined when `optional`); returns it, empty when undefined. */
export function requireArray<T>(where: string, what: string, value: T[] | undefined, optional = false): T[] {
  if (value === undefined && optional) {
    return [];
  }
  if (!Array.isArray(value)) {
    fail(where, what, value, 'a list');
  }
  return value;
}

/** Throws unless `value` maps strings to strings (or is undefined when `optional`). */
export function requireStringMap(where: string, what: string, value: unknown, optional = false): void {
  if (value === undefined && optional) {
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(where, what, value, 'a map of strings');
  }
  for (const [key, item] of Object.entries(value as object)) {
    if (typeof item !== 'string') {
      fail(where, `${what} '${key}'`, item, 'a string');
    }
  }
}

/** Throws unless `value` was made by `type` (a class of this library or of cdk8s), naming the factory to use. */
export function requireInstance(where: string, what: string, value: unknown, type: Function, hint: string, optional = false): void {
  if (!(value instanceof type || (optional && value === undefined))) {
    fail(where, what, value, `${hint}`);
  }
}

/** Throws unless the value is one of an enum's values. */
export function requireEnumValue(where: string, what: string, value: unknown, values: string[], optional = false): void {
  if (!(values.includes(value as string) || (optional && value === undefined))) {
    fail(where, what, value, `one of ${values.map((v) => `'${v}'`).join(', ')}`);
  }
}
