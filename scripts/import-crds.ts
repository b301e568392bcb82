/**
 * Regenerates what the repository keeps from the official CRDs of pinned releases:
 *
 * - the typed bindings in imports/ (`cdk8s import`), for the API groups the library writes;
 * - a compact extract of the CRD schemas in imports/schemas/<source>.json (the `openAPIV3Schema` of
 *   every served version, CEL rules included, descriptions left out), which the tests validate the
 *   library's output against. The repository never reads the CRD files themselves.
 *
 * Each source is read from a local path or URL given in an environment variable, defaulting to the
 * upstream file of the pinned release. Supporting another CRD family (ArgoCD, Flux, Kurator) is one
 * more entry in SOURCES. Of each CRD the bindings keep only its storage version, so
 * the generated class names (`VirtualService`, ...) always carry the storage apiVersion. Documents
 * are normalized and re-serialized before import because some upstream files (Flagger's) use
 * multi-line quoted descriptions that the CLI's YAML parser rejects.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { normalizeQuotedScalars } from './normalize-quoted-scalars';

/** Which CRDs of a source get a schema extract: every kind of `group`, or only `kinds`. */
export interface SchemaSelection {
  readonly group: string;
  readonly kinds?: string[];
}

/** One file of official CRDs and what the repository keeps from it. */
export interface CrdSource {
  /** Names the extract, `imports/schemas/<id>.json`. */
  readonly id: string;
  /** The release the default location pins, recorded in the extract. */
  readonly release: string;
  readonly envVar: string;
  readonly defaultLocation: string;
  /** API groups imported as typed bindings (none: schemas only). */
  readonly bindingGroups: string[];
  /** Kinds of those groups that get bindings; the rest get schema extracts only. @default every kind */
  readonly bindingKinds?: string[];
  /** CRDs whose schemas are extracted. */
  readonly schemas: SchemaSelection[];
}

export const SOURCES: CrdSource[] = [
  {
    id: 'istio',
    release: 'Istio 1.30.3',
    envVar: 'ISTIO_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml',
    bindingGroups: ['networking.istio.io', 'security.istio.io'],
    schemas: [
      { group: 'networking.istio.io' },
      { group: 'security.istio.io', kinds: ['AuthorizationPolicy', 'PeerAuthentication'] },
    ],
  },
  {
    id: 'flagger',
    release: 'Flagger 1.44.0',
    envVar: 'FLAGGER_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/fluxcd/flagger/v1.44.0/artifacts/flagger/crd.yaml',
    bindingGroups: ['flagger.app'],
    schemas: [{ group: 'flagger.app', kinds: ['Canary', 'MetricTemplate'] }],
  },
  {
    // The standard channel is what most clusters install: the Gateway API output validates against it.
    id: 'gateway-api-standard',
    release: 'Gateway API v1.5.1 (standard channel)',
    envVar: 'GATEWAY_API_STANDARD_CRDS',
    defaultLocation: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml',
    bindingGroups: [],
    schemas: [{ group: 'gateway.networking.k8s.io' }],
  },
  {
    // A superset of the standard channel (TCPRoute lives only here), so the bindings come from it.
    id: 'gateway-api-experimental',
    release: 'Gateway API v1.5.1 (experimental channel)',
    envVar: 'GATEWAY_API_EXPERIMENTAL_CRDS',
    defaultLocation: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/experimental-install.yaml',
    bindingGroups: ['gateway.networking.k8s.io'],
    schemas: [{ group: 'gateway.networking.k8s.io' }],
  },
  {
    id: 'argocd',
    release: 'Argo CD v3.5.1',
    envVar: 'ARGOCD_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/install.yaml',
    bindingGroups: ['argoproj.io'],
    // The ApplicationSet binding alone is 77,000 lines; its template reuses the Application's types.
    bindingKinds: ['Application'],
    schemas: [{ group: 'argoproj.io', kinds: ['Application', 'ApplicationSet'] }],
  },
  {
    id: 'flux',
    release: 'Flux kustomize-controller v1.9.4',
    envVar: 'FLUX_KUSTOMIZE_CRDS',
    defaultLocation: 'https://github.com/fluxcd/kustomize-controller/releases/download/v1.9.4/kustomize-controller.crds.yaml',
    bindingGroups: ['kustomize.toolkit.fluxcd.io'],
    schemas: [{ group: 'kustomize.toolkit.fluxcd.io', kinds: ['Kustomization'] }],
  },
  {
    id: 'kurator',
    release: 'Kurator v0.6.0',
    envVar: 'KURATOR_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/kurator-dev/kurator/v0.6.0/manifests/charts/fleet-manager/crds/apps.kurator.dev_applications.yaml',
    bindingGroups: ['apps.kurator.dev'],
    schemas: [{ group: 'apps.kurator.dev', kinds: ['Application'] }],
  },
];

const IMPORTS_DIR = path.join(__dirname, '..', 'imports');
export const SCHEMAS_DIR = path.join(IMPORTS_DIR, 'schemas');
const CLI = path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

async function readSource(location: string): Promise<string> {
  if (/^https?:\/\//.test(location)) {
    const response = await fetch(location);
    if (!response.ok) {
      throw new Error(`cannot download ${location}: http ${response.status}`);
    }
    return response.text();
  }
  return fs.readFileSync(location, 'utf8');
}

/** Every CustomResourceDefinition of a multi-document YAML file, sorted by name. */
export function parseCrds(text: string): any[] {
  const crds: any[] = [];
  for (const doc of parseAllDocuments(normalizeQuotedScalars(text))) {
    if (doc.errors.length > 0) {
      throw new Error(`cannot parse CRD file: ${doc.errors[0].message}`);
    }
    const crd = doc.toJS();
    if (crd?.kind === 'CustomResourceDefinition') {
      crds.push(crd);
    }
  }
  return crds.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Keeps the CRDs of the wanted groups, each reduced to its storage version. */
export function selectCrds(text: string, groups: string[]): any[] {
  return parseCrds(text)
    .filter((crd) => groups.includes(crd.spec?.group))
    .map((crd) => {
      const versions: any[] = crd.spec.versions ?? [];
      const storage = versions.find((v) => v.storage) ?? versions[0];
      return { ...crd, spec: { ...crd.spec, versions: [storage] } };
    });
}

/** The schema of some served versions of one kind. */
export interface KindSchema {
  readonly group: string;
  readonly kind: string;
  /** Served versions sharing this schema, in the CRD's order. */
  readonly versions: string[];
  readonly openAPIV3Schema: any;
}

/** The committed extract of one source. */
export interface SchemaExtract {
  readonly source: string;
  readonly kinds: KindSchema[];
}

/**
 * The schemas of the selected kinds: every served version, descriptions removed (the validator never
 * reads them and they are most of the bytes), versions with identical schemas stored once.
 */
export function extractSchemas(crds: any[], selections: SchemaSelection[], release: string): SchemaExtract {
  const kinds: KindSchema[] = [];
  for (const selection of selections) {
    const matching = crds.filter((crd) => crd.spec?.group === selection.group
      && (selection.kinds === undefined || selection.kinds.includes(crd.spec.names?.kind)));
    const missing = (selection.kinds ?? []).filter((kind) => !matching.some((crd) => crd.spec.names.kind === kind));
    if (matching.length === 0 || missing.length > 0) {
      throw new Error(`no CRD for ${missing.length > 0 ? missing.join(', ') : 'any kind'} of group ${selection.group}`);
    }
    for (const crd of matching) {
      const byText = new Map<string, KindSchema>();
      for (const version of crd.spec.versions ?? []) {
        if (!version.served) {
          continue;
        }
        const schema = withoutDescriptions(version.schema?.openAPIV3Schema ?? {});
        const text = JSON.stringify(schema);
        const same = byText.get(text);
        if (same) {
          same.versions.push(version.name);
        } else {
          byText.set(text, { group: crd.spec.group, kind: crd.spec.names.kind, versions: [version.name], openAPIV3Schema: schema });
        }
      }
      kinds.push(...byText.values());
    }
  }
  kinds.sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
  return { source: release, kinds };
}

/** The extract as committed: two-space JSON with a final newline, the same bytes for the same input. */
export function serializeExtract(extract: SchemaExtract): string {
  return `${JSON.stringify(extract, null, 2)}\n`;
}

function withoutDescriptions(schema: any): any {
  if (Array.isArray(schema)) {
    return schema.map(withoutDescriptions);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const copy: Record<string, any> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps field names to schemas: a field may itself be called "description".
    if (key === 'properties' || key === 'patternProperties') {
      copy[key] = Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, withoutDescriptions(sub)]));
    } else if (key !== 'description') {
      copy[key] = withoutDescriptions(value);
    }
  }
  return copy;
}

/** Writes a file through a temporary sibling and a rename, so an interrupted run leaves the old one. */
function replaceFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  try {
    // Read and check every source before writing anything.
    const inputs = [];
    for (const source of SOURCES) {
      const location = process.env[source.envVar] ?? source.defaultLocation;
      const crds = parseCrds(await readSource(location));
      const bindings = selectCrds(crds.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n'), source.bindingGroups)
        .filter((crd) => source.bindingKinds === undefined || source.bindingKinds.includes(crd.spec.names.kind));
      for (const group of source.bindingGroups) {
        if (!bindings.some((crd) => crd.spec.group === group)) {
          throw new Error(`no CRD of group ${group} in ${location} (set ${source.envVar} to another file)`);
        }
      }
      inputs.push({ source, location, bindings, extract: extractSchemas(crds, source.schemas, source.release) });
    }
    for (const { source, location, bindings, extract } of inputs) {
      if (bindings.length > 0) {
        const file = path.join(workDir, `${source.id}.yaml`);
        fs.writeFileSync(file, bindings.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n'));
        // One call per file: the CLI reads only the first spec it is given.
        execFileSync(process.execPath, [CLI, '--no-check-upgrade', 'import', '--no-save', '--language', 'typescript', '--output', IMPORTS_DIR, file], {
          cwd: workDir,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      }
      replaceFile(path.join(SCHEMAS_DIR, `${source.id}.json`), serializeExtract(extract));
      console.log(`${source.envVar}: ${bindings.length} CRDs bound, ${extract.kinds.length} schemas extracted, from ${location}`);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
