/**
 * Regenerates the typed bindings in imports/ with `cdk8s import`.
 *
 * Each source is read from a local path or URL given in an environment variable, defaulting to the
 * upstream file of the pinned release. Only the API groups the library uses are kept, and of each
 * CRD only its storage version, so the generated class names (`VirtualService`, ...) always carry the
 * storage apiVersion. Documents are normalized and re-serialized before import because some upstream
 * files (Flagger's) use multi-line quoted descriptions that the CLI's YAML parser rejects.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { normalizeQuotedScalars } from './normalize-quoted-scalars';

interface CrdSource {
  readonly envVar: string;
  readonly defaultLocation: string;
  readonly groups: string[];
}

const SOURCES: CrdSource[] = [
  {
    envVar: 'ISTIO_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml',
    groups: ['networking.istio.io', 'security.istio.io'],
  },
  {
    envVar: 'FLAGGER_CRDS',
    defaultLocation: 'https://raw.githubusercontent.com/fluxcd/flagger/v1.44.0/artifacts/flagger/crd.yaml',
    groups: ['flagger.app'],
  },
];

const OUTPUT_DIR = path.join(__dirname, '..', 'imports');
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

/** Keeps the CRDs of the wanted groups, each reduced to its storage version. */
export function selectCrds(text: string, groups: string[]): any[] {
  const crds: any[] = [];
  for (const doc of parseAllDocuments(normalizeQuotedScalars(text))) {
    if (doc.errors.length > 0) {
      throw new Error(`cannot parse CRD file: ${doc.errors[0].message}`);
    }
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition' || !groups.includes(crd.spec?.group)) {
      continue;
    }
    const versions: any[] = crd.spec.versions ?? [];
    const storage = versions.find((v) => v.storage) ?? versions[0];
    crds.push({ ...crd, spec: { ...crd.spec, versions: [storage] } });
  }
  crds.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return crds;
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  for (const source of SOURCES) {
    const location = process.env[source.envVar] ?? source.defaultLocation;
    const crds = selectCrds(await readSource(location), source.groups);
    for (const group of source.groups) {
      if (!crds.some((crd) => crd.spec.group === group)) {
        throw new Error(`no CRD of group ${group} in ${location} (set ${source.envVar} to another file)`);
      }
    }
    const file = path.join(workDir, `${source.envVar.toLowerCase()}.yaml`);
    fs.writeFileSync(file, crds.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n'));
    console.log(`${source.envVar}: ${crds.length} CRDs of ${source.groups.join(', ')} from ${location}`);
    // One call per file: the CLI reads only the first spec it is given.
    execFileSync(process.execPath, [CLI, '--no-check-upgrade', 'import', '--no-save', '--language', 'typescript', '--output', OUTPUT_DIR, file], {
      cwd: workDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  fs.rmSync(workDir, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
