import { createHash } from 'crypto';
import { mermaidId } from './escape';

/**
 * Colours for version nodes: the same version name gets the same colour in every diagram, and
 * two versions in one diagram never share one, so a reviewer can follow `green` across boxes.
 */

/**
 * Light fill and dark stroke per colour (Tailwind 100 and 700 shades). The first `HASHED` are for
 * any version name; the rest only for a version of that name: purple and indigo look like Mermaid's
 * default rule nodes, yellow like its box background, red like a failure.
 */
const PALETTE: ReadonlyArray<readonly [name: string, fill: string, stroke: string]> = [
  ['blue', '#dbeafe', '#1d4ed8'],
  ['green', '#dcfce7', '#15803d'],
  ['teal', '#ccfbf1', '#0f766e'],
  ['pink', '#fce7f3', '#be185d'],
  ['orange', '#ffedd5', '#c2410c'],
  ['cyan', '#cffafe', '#0e7490'],
  ['amber', '#fef3c7', '#b45309'],
  ['lime', '#ecfccb', '#4d7c0f'],
  ['purple', '#f3e8ff', '#7e22ce'],
  ['indigo', '#e0e7ff', '#4338ca'],
  ['yellow', '#fef9c3', '#a16207'],
  ['red', '#fee2e2', '#b91c1c'],
];

/** How many colours, from the start of the palette, other names are hashed onto. */
const HASHED = 8;

/** Colour of "no subset": every endpoint of the service, neither one version nor another. */
const ALL_ENDPOINTS = { fill: '#f3f4f6', stroke: '#4b5563' };

/** Words Mermaid's flowchart grammar reserves; `classDef default` would restyle every node. */
const RESERVED = new Set(['default', 'end', 'graph', 'flowchart', 'subgraph', 'class', 'classdef', 'style', 'linkstyle',
  'click', 'call', 'href', 'direction', 'tb', 'td', 'bt', 'rl', 'lr', 'interpolate', 'callback', 'acctitle', 'accdescr']);

/** One `classDef` of a diagram. */
export interface VersionClass {
  /** The class name used after `:::`. */
  readonly name: string;
  readonly fill: string;
  readonly stroke: string;
}

/**
 * Classes for the versions of one diagram (`undefined` = all endpoints). Colour words keep their
 * colour (`blue` is blue); other names start at a hash of the name and take the next colour not yet
 * used in the diagram. The result depends only on the set of names, never on their order.
 */
export function versionClasses(versions: Iterable<string | undefined>): Map<string | undefined, VersionClass> {
  const names = [...new Set(versions)].sort((a, b) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0));
  const classNames = new Set<string>();
  const className = (version: string | undefined): string => {
    const id = mermaidId(version ?? '');
    const safe = /^[A-Za-z]/.test(id) && !RESERVED.has(id.toLowerCase()) && id !== 'all_endpoints';
    const base = version === undefined ? 'all_endpoints' : safe ? id : `v_${id}`;
    let name = base;
    for (let n = 2; classNames.has(name); n++) {
      name = `${base}_${n}`;
    }
    classNames.add(name);
    return name;
  };
  const used = new Set<number>();
  const colourOf = new Map<string | undefined, number>();
  for (const v of names) {
    const own = v === undefined ? -1 : PALETTE.findIndex(([colour]) => colour === v.toLowerCase());
    if (own >= 0 && !used.has(own)) {
      colourOf.set(v, own);
      used.add(own);
    }
  }
  for (const v of names) {
    if (v === undefined || colourOf.has(v)) {
      continue;
    }
    let i = nameHash(v) % HASHED;
    for (let tries = 0; tries < HASHED && used.has(i); tries++) {
      i = (i + 1) % HASHED;
    }
    colourOf.set(v, i);
    used.add(i);
  }
  const classes = new Map<string | undefined, VersionClass>();
  for (const v of names) {
    const colour = v === undefined ? ALL_ENDPOINTS : { fill: PALETTE[colourOf.get(v)!][1], stroke: PALETTE[colourOf.get(v)!][2] };
    classes.set(v, { name: className(v), ...colour });
  }
  return classes;
}

/** Hashes already computed: a plan of thousands of services colours the same few version names again and again. */
const hashes = new Map<string, number>();

/** A stable hash of the name: the same on every platform and Node.js version. */
function nameHash(text: string): number {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(text).digest().readUInt32BE(0);
    if (hashes.size < 10_000) {
      hashes.set(text, hash);
    }
  }
  return hash;
}
