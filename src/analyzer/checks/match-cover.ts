import { fullMatch, isPresenceMatch } from '../../simulator/string-match';

const STRING_FIELDS = ['uri', 'scheme', 'method', 'authority'];
const MAP_FIELDS = ['headers', 'queryParams'];
const METADATA_FIELDS = new Set(['name', 'statPrefix']);

/**
 * Whether a match entry has no condition at all (only a name), i.e. matches every request on every
 * proxy the VirtualService applies to.
 */
export function isUnconditional(match: any): boolean {
  if (!match || typeof match !== 'object') {
    return true;
  }
  return Object.entries(match).every(([k, v]) => METADATA_FIELDS.has(k) || isEmpty(v));
}

/**
 * Whether every request (on every proxy) matched by `specific` is also matched by `general`, so a
 * `specific` entry placed after `general` never wins. Errs on the side of "no": it only says yes
 * when the conditions are provably covered.
 */
export function matchCovers(general: any, specific: any): boolean {
  const g = general ?? {};
  const s = specific ?? {};
  if (g.port !== undefined && g.port !== s.port) {
    return false;
  }
  if (g.sourceNamespace !== undefined && g.sourceNamespace !== s.sourceNamespace) {
    return false;
  }
  if (!labelsCovered(g.sourceLabels, s.sourceLabels)) {
    return false;
  }
  if (Array.isArray(g.gateways) && g.gateways.length > 0) {
    const gws = new Set(g.gateways.map(String));
    if (!Array.isArray(s.gateways) || s.gateways.length === 0 || !s.gateways.every((x: any) => gws.has(String(x)))) {
      return false;
    }
  }
  if (Boolean(g.ignoreUriCase) !== Boolean(s.ignoreUriCase) && g.uri !== undefined) {
    return false;
  }
  if (!STRING_FIELDS.every((f) => stringMatchCovers(g[f], s[f]))) {
    return false;
  }
  for (const field of MAP_FIELDS) {
    const gm = lowerKeys(g[field], field === 'headers');
    const sm = lowerKeys(s[field], field === 'headers');
    if (!Object.entries(gm).every(([k, v]) => k in sm && stringMatchCovers(v, sm[k]))) {
      return false;
    }
  }
  const gw = lowerKeys(g.withoutHeaders, true);
  const sw = lowerKeys(s.withoutHeaders, true);
  return Object.entries(gw).every(([k, v]) => k in sw && JSON.stringify(v ?? {}) === JSON.stringify(sw[k] ?? {}));
}

/** Whether every value `specific` accepts is accepted by `general` (both Istio StringMatch). */
export function stringMatchCovers(general: any, specific: any): boolean {
  if (general === undefined || general === null) {
    return true;
  }
  if (specific === undefined || specific === null) {
    return false;
  }
  if (isPresenceMatch(general)) {
    return true;
  }
  if (general.exact !== undefined) {
    return specific.exact !== undefined && String(specific.exact) === String(general.exact);
  }
  if (general.prefix !== undefined) {
    const value = specific.exact ?? specific.prefix;
    return value !== undefined && String(value).startsWith(String(general.prefix));
  }
  if (specific.regex !== undefined) {
    return String(specific.regex) === String(general.regex);
  }
  if (specific.exact !== undefined) {
    try {
      return fullMatch(String(general.regex), String(specific.exact), 'match');
    } catch {
      return false;
    }
  }
  return false;
}

function labelsCovered(general: any, specific: any): boolean {
  const s = specific ?? {};
  return Object.entries(general ?? {}).every(([k, v]) => s[k] !== undefined && String(s[k]) === String(v));
}

function lowerKeys(value: any, lower: boolean): Record<string, any> {
  const out: Record<string, any> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out[lower ? k.toLowerCase() : k] = v;
    }
  }
  return out;
}

function isEmpty(value: any): boolean {
  if (value === undefined || value === null) {
    return true;
  }
  return typeof value === 'object' && Object.keys(value).length === 0;
}
