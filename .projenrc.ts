import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio-traffic',
  description: 'cdk8s constructs for Istio releases: blue/green, weighted canary and cookie/header opt-in routes, validated at synth time',
  author: 'cdk8s-istio-traffic contributors',
  authorAddress: 'https://github.com/cdk8s-istio-traffic/cdk8s-istio-traffic',
  repositoryUrl: 'https://github.com/cdk8s-istio-traffic/cdk8s-istio-traffic.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  stability: 'experimental',
  keywords: ['cdk8s', 'istio', 'kubernetes', 'gitops', 'blue-green', 'canary', 'service-mesh'],
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.3',

  // cdk8s-plus-27 2.9.x peers on cdk8s ^2.68.11 and constructs ^10.3.0: the lowest published versions we support (2.68.11 itself was never published).
  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // Not jsii modules, so they ship inside the package and never appear in the public API.
  bundledDeps: ['re2js', 'yaml'],
  devDeps: ['@types/node@^20', 'cdk8s-cli', 'fast-check', 'ajv@^8', 'cdk8s-plus-33', '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2'],

  // The generated Istio bindings live in the top-level imports/ folder, so jsii compiles from the root.
  entrypoint: 'lib/src/index.js',
  tsconfig: {
    compilerOptions: { rootDir: '.' },
    include: ['imports/**/*.ts'],
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../imports/**/*.ts', '../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
  },

  jestOptions: {
    // Snapshots are never rewritten by the test run; `npx projen test:update` does it on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '/examples/'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'bench'],
    ignorePatterns: ['imports/', 'examples/*/dist/'],
  },

  githubOptions: { mergify: false },
  buildWorkflow: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  integrationTestAutoDiscover: false,
});

project.package.addField('types', 'lib/src/index.d.ts');
project.annotateGenerated('/imports/**');
project.npmignore?.addPatterns('/examples/', '/scripts/', '/.ci/', '/test/');
// The bindings ship compiled in lib/imports/; their ~0.5 MB of TypeScript sources are not needed.
project.npmignore?.addPatterns('/imports/');
// Benchmarks run from a checkout against src/; in the package they could not even import it.
project.npmignore?.addPatterns('/bench/');
// The semantics document is read in the repository, next to the code that cites it.
project.npmignore?.addPatterns('/docs/');

// Regenerates the typed bindings from the official CRDs. ISTIO_CRDS may name a local file or URL;
// by default the pinned Istio release is read from its upstream location.
project.addTask('import', {
  description: 'Regenerate the Istio bindings in imports/ from the official CRDs (ISTIO_CRDS=path-or-url)',
  exec: 'ts-node --project test/tsconfig.json scripts/import-crds.ts',
});

// Not part of the test run: timings belong in a benchmark, not in a test that can flake.
project.addTask('bench', {
  description: 'Synthesis cost: the library against hand-written ApiObjects (--quick for smaller sizes; --synth: GitOpsApp, plain App, hand-written and the serialization floor, --readme to update the README)',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/synth-bench.ts',
  receiveArgs: true,
});

project.addTask('bench:fleet', {
  description: 'Fleet synthesis cost: 250 services on 10, 20 and 40 clusters with every delivery engine (--quick for smaller sizes)',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/fleet-bench.ts',
  receiveArgs: true,
});

project.addTask('examples', {
  description: 'Synthesize every example app into examples/<name>/dist/',
  exec: 'ts-node --project test/tsconfig.json scripts/synth-examples.ts',
});

project.gitignore.addPatterns('/test/.tmp/');

// unrs-resolver 1.13.0 (via jest-resolve and eslint-import-resolver-typescript) declares platform
// bindings the registry does not serve, so npm leaves them out of the lock and `npm ci` then
// rejects that lock ("Missing: @unrs/resolver-binding-...", npm/cli#9846). 1.12.2 has all of them.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// examples/ and scripts/ are type-checked through the dev tsconfig (test/tsconfig.json), which eslint's
// project service never finds from those folders (it looks for the nearest tsconfig.json), so they are
// linted through the default project instead; the default cap of 8 such files is too low for them.
project.eslint?.allowDefaultProjectFiles('examples/*.ts', 'examples/*/*.ts', 'scripts/*.ts', 'bench/*.ts');
project.tryFindObjectFile('.eslintrc.json')?.addOverride(
  'parserOptions.projectService.maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING', 64);

project.synth();
