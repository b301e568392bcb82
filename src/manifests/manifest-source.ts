/**
 * Where a parsed manifest came from, kept beside the object (not in it) so manifests stay plain
 * Kubernetes objects and findings can still name a file and line.
 */
export interface ManifestSource {
  /** The file (or `yaml text`) the manifest was read from. */
  readonly file: string;
  /** 0-based index of the YAML document in that file. */
  readonly document: number;
  /** 1-based line where the document starts. */
  readonly line: number;
}

const sources = new WeakMap<object, ManifestSource>();

/** Records where `manifest` was read from. */
export function setManifestSource(manifest: object, source: ManifestSource): void {
  sources.set(manifest, source);
}

/** Where `manifest` was read from, when a reader recorded it. */
export function manifestSource(manifest: unknown): ManifestSource | undefined {
  return manifest && typeof manifest === 'object' ? sources.get(manifest) : undefined;
}
