import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { extractSchemas, parseCrds, SCHEMAS_DIR, selectCrds, serializeExtract, SOURCES } from '../scripts/import-crds';
import { normalizeQuotedScalars } from '../scripts/normalize-quoted-scalars';

// Shaped like fluxcd/flagger's artifacts/flagger/crd.yaml: quoted descriptions continue on lines
// indented like their key, which strict YAML parsers reject.
const UPSTREAM_STYLE = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.app
spec:
  group: example.app
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: false
      schema:
        openAPIV3Schema: { type: object }
    - name: v1beta1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion:
              description: 'APIVersion defines the versioned schema of this representation
              of an object. It''s quoted. More info: https://git.k8s.io/x#resources'
              type: string
            kind:
              description: "Kind is a string value
              representing the REST resource: \\"quoted\\"."
              type: string
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.other.app
spec:
  group: other.app
  names: { kind: Gadget, plural: gadgets }
  scope: Namespaced
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object } } }]
`;

describe('CRD import input', () => {
  test('multi-line quoted descriptions indented like their key are joined with YAML folding', () => {
    // GIVEN
    expect(parseAllDocuments(UPSTREAM_STYLE)[0].errors.length).toBeGreaterThan(0);

    // WHEN
    const docs = parseAllDocuments(normalizeQuotedScalars(UPSTREAM_STYLE));

    // THEN
    expect(docs.map((d) => d.errors)).toEqual([[], []]);
    const properties = docs[0].toJS().spec.versions[1].schema.openAPIV3Schema.properties;
    expect(properties.apiVersion.description).toBe("APIVersion defines the versioned schema of this representation of an object. It's quoted. More info: https://git.k8s.io/x#resources");
    expect(properties.kind.description).toBe('Kind is a string value representing the REST resource: "quoted".');
  });

  test('only the wanted groups are kept, each CRD reduced to its storage version', () => {
    const crds = selectCrds(UPSTREAM_STYLE, ['example.app']);
    expect(crds.map((c) => c.metadata.name)).toEqual(['widgets.example.app']);
    expect(crds[0].spec.versions.map((v: any) => v.name)).toEqual(['v1beta1']);
  });

  test('cdk8s import accepts the normalized file and generates the storage version class', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-test-'));
    const file = path.join(dir, 'widgets.yaml');
    fs.writeFileSync(file, selectCrds(UPSTREAM_STYLE, ['example.app']).map((c) => stringify(c)).join('---\n'));

    // WHEN
    const cli = path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    execFileSync(process.execPath, [cli, '--no-check-upgrade', 'import', '--no-save', '--language', 'typescript', '--output', path.join(dir, 'out'), file], { cwd: dir, stdio: 'ignore' });

    // THEN
    const generated = fs.readFileSync(path.join(dir, 'out', 'example.app.ts'), 'utf8');
    expect(generated).toContain("apiVersion: 'example.app/v1beta1'");
    expect(generated).toContain('export class Widget extends ApiObject');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('the schema extract keeps every served version with its CEL rules and drops descriptions', () => {
    // GIVEN a CRD with a served, an unserved and a rule-carrying version
    const crds = parseCrds(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: routes.example.app }
spec:
  group: example.app
  names: { kind: Route, plural: routes }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: A route.
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations: [{ rule: 'self.size() <= 2', message: at most two }]
              properties:
                description: { type: string, description: a field called description }
    - name: v1beta1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations: [{ rule: 'self.size() <= 2', message: at most two }]
              properties:
                description: { type: string }
    - name: v1alpha1
      served: false
      storage: false
      schema: { openAPIV3Schema: { type: object } }
`);

    // WHEN
    const extract = extractSchemas(crds, [{ group: 'example.app' }], 'Example 1.0');

    // THEN identical schemas are stored once, for both served versions
    expect(extract).toEqual({
      source: 'Example 1.0',
      kinds: [{
        group: 'example.app',
        kind: 'Route',
        versions: ['v1', 'v1beta1'],
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              'type': 'object',
              'x-kubernetes-validations': [{ rule: 'self.size() <= 2', message: 'at most two' }],
              'properties': { description: { type: 'string' } },
            },
          },
        },
      }],
    });
    expect(serializeExtract(extract)).toBe(serializeExtract(extractSchemas(crds, [{ group: 'example.app' }], 'Example 1.0')));
  });

  test('a selected kind missing from the CRD file is an error, not an empty extract', () => {
    expect(() => extractSchemas(selectCrds(UPSTREAM_STYLE, ['example.app']), [{ group: 'example.app', kinds: ['Widget', 'Gizmo'] }], 'x'))
      .toThrow('no CRD for Gizmo of group example.app');
  });

  test('the committed extracts hold exactly the kinds each source selects, each with a served version', () => {
    for (const source of SOURCES) {
      // GIVEN
      const extract = JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, `${source.id}.json`), 'utf8'));

      // THEN
      expect(extract.source).toBe(source.release);
      for (const selection of source.schemas) {
        const kinds = extract.kinds.filter((k: any) => k.group === selection.group).map((k: any) => k.kind);
        expect(kinds.length).toBeGreaterThan(0);
        if (selection.kinds) {
          expect([...new Set(kinds)].sort()).toEqual([...selection.kinds].sort());
        }
      }
      expect(extract.kinds.every((k: any) => k.versions.length > 0 && k.openAPIV3Schema.type === 'object')).toBe(true);
    }
  });
});
