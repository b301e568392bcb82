import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const WORK_DIR = path.join(ROOT, 'test', '.tmp', 'readme-snippets');
const SRC = path.join(ROOT, 'src');
const CDK8S_NAMES = ['ApiObject', 'App', 'Chart', 'Duration', 'JsonPatch', 'Size', 'YamlOutputType'];

/** A TypeScript block of the README that declares releases. */
export interface ReadmeSnippet {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

/**
 * The README's TypeScript blocks that declare a release or route: complete programs (with their own
 * imports) or statements that use a `chart`. Fragments (a prop or two) declare none and are left out.
 */
export function readmeSnippets(): ReadmeSnippet[] {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const snippets: ReadmeSnippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') {
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) {
      body.push(lines[i]);
    }
    const code = body.join('\n');
    if (/new (BlueGreen|Canary|CookieRoute|PathRoute)\(/.test(code)) {
      snippets.push({ line: start + 1, code });
    }
  }
  return snippets;
}

/**
 * The snippet as a module of its own: complete programs (with their own App) import from src/;
 * others get the imports they use and a `chart`.
 */
function moduleSource(snippet: ReadmeSnippet, srcFrom: string): string {
  if (/new (App|FleetApp)\(/.test(snippet.code)) {
    return `${snippet.code.replace(/from 'cdk8s-istio-traffic'/g, `from '${srcFrom}'`)}\nexport {};\n`;
  }
  const code = snippet.code.split('\n').filter((line) => !line.startsWith('import ')).join('\n');
  const used = (names: string[]) => names.filter((name) => new RegExp(`\\b${name}\\b`).test(code));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library = used(Object.keys(require(SRC)));
  return [
    `import { ${['App', 'Chart', ...used(CDK8S_NAMES.filter((n) => n !== 'App' && n !== 'Chart'))].join(', ')} } from 'cdk8s';`,
    /\bkplus\./.test(code) ? "import * as kplus from 'cdk8s-plus-27';" : '',
    library.length > 0 ? `import { ${library.join(', ')} } from '${srcFrom}';` : '',
    'const app = new App();',
    "const chart = new Chart(app, 'readme', { namespace: 'readme' });",
    code,
    'app.synth();',
    'export {};',
  ].join('\n');
}

/** Writes every snippet as a module; returns the files in snippet order. */
export function writeSnippetModules(snippets: ReadmeSnippet[]): string[] {
  fs.rmSync(WORK_DIR, { recursive: true, force: true });
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const srcFrom = path.relative(WORK_DIR, SRC).split(path.sep).join('/');
  return snippets.map((snippet) => {
    const file = path.join(WORK_DIR, `readme-line-${snippet.line}.ts`);
    fs.writeFileSync(file, moduleSource(snippet, srcFrom));
    return file;
  });
}

/** Type errors of the modules, as `file:line message`; empty when they all compile. */
export function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: ['node'],
    experimentalDecorators: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Runs one module (its app synthesizes into a fresh folder) and returns the manifests it wrote. */
export function synthSnippet(file: string): any[] {
  const outdir = `${file.replace(/\.ts$/, '')}-dist`;
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
  } finally {
    if (previous === undefined) {
      delete process.env.CDK8S_OUTDIR;
    } else {
      process.env.CDK8S_OUTDIR = previous;
    }
  }
  return yamlFiles(outdir).flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()));
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}
