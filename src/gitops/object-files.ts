import { ChartObject } from './chart-objects';
import { manifestYaml } from './manifest-yaml';
import { apiGroup } from '../validate/unique-objects';

/** One object in the output and where it is written (a relative path with `/`). */
export interface PlacedObject {
  readonly file: string;
  readonly object: any;
}

/** One object in the output, where it is written and its bytes. */
export interface ObjectFile extends PlacedObject {
  readonly content: string;
}

const EXTENSION = '.k8s.yaml';
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Gives every object its own file, `<chart>/<namespace>/<Kind>.<name>.k8s.yaml` (objects without a
 * namespace directly in `<chart>/`), in code-point order of the paths. Paths are unique per API
 * group, kind, namespace and name, whatever the app holds:
 *
 * - a namespace is a DNS label (no dots), so it can never be mistaken for a file or for another
 *   namespace's folder;
 * - when two objects of one folder share kind and name (only possible for different API groups,
 *   such as Istio's and the Gateway API's `Gateway`), both names carry their group after `_`, a
 *   character no name or group may contain: `Gateway.web_networking.istio.io.k8s.yaml`.
 *
 * Two objects that still land on one path (the same identity twice) are an error, never an overwrite.
 */
export function placeObjects(objects: ChartObject[]): PlacedObject[] {
  // each object's `<folder>/<Kind>.<name>` once: tens of thousands of objects are placed per synthesis
  const placed = objects.map((o) => ({ o, path: `${folderOf(o)}/${baseName(o.json.kind, o.json.metadata?.name)}` }));
  const perName = new Map<string, number>();
  for (const p of placed) {
    perName.set(p.path, (perName.get(p.path) ?? 0) + 1);
  }
  const files = new Map<string, PlacedObject>();
  for (const p of placed) {
    const qualified = perName.get(p.path)! > 1;
    const file = qualified ? `${p.path}_${apiGroup(String(p.o.json.apiVersion ?? '')) || 'core'}${EXTENSION}` : `${p.path}${EXTENSION}`;
    const taken = files.get(file);
    if (taken) {
      throw new Error(`two objects would be written to '${file}': ${describe(taken.object)} and ${describe(p.o.json)}; give one of them another name or namespace`);
    }
    files.set(file, { file, object: p.o.json });
  }
  return [...files.values()].sort((a, b) => compare(a.file, b.file));
}

/** The placed objects with the bytes cdk8s writes for each. */
export function printObjects(placed: PlacedObject[]): ObjectFile[] {
  return placed.map((p) => ({ file: p.file, object: p.object, content: manifestYaml(p.object) }));
}

function folderOf(o: ChartObject): string {
  const namespace = o.json.metadata?.namespace;
  if (namespace === undefined || namespace === '') {
    return o.chartFolder;
  }
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw new Error(`${describe(o.json)} has an invalid namespace '${namespace}': must be a DNS-1123 label (lowercase letters, digits and '-')`);
  }
  return `${o.chartFolder}/${namespace}`;
}

/** `<Kind>.<name>` with the characters cdk8s keeps in file names. */
function baseName(kind: unknown, name: unknown): string {
  return `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

function describe(object: any): string {
  const namespace = object.metadata?.namespace;
  return `${object.apiVersion} ${object.kind} ${namespace ? `${namespace}/` : ''}${object.metadata?.name}`;
}

/** Code-point order, so the layout never depends on the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
