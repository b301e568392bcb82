import * as fc from 'fast-check';
import { parseDuration } from './cel-rules';
import { CrdSchemas, exampleManifests } from './crd-schema';
import { anyInputArb, synthInput } from './release-inputs';

const schemas = CrdSchemas.load();
const ISTIO = /^networking\.istio\.io\//;

function problemsOf(manifests: any[]): string[] {
  return manifests.filter((m) => ISTIO.test(String(m?.apiVersion))).flatMap((m) => {
    expect(schemas.covers(m)).toBe(true);
    return schemas.validate(m).map((p) => `${m.kind}/${m.metadata?.name}${p.path}: ${p.message}`);
  });
}

describe('the schema validator itself', () => {
  const vs = (spec: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec });

  test('fails for a StringMatch with two of exact/prefix/regex (oneOf)', () => {
    // GIVEN / WHEN
    const problems = schemas.validate(vs({ hosts: ['a'], http: [{ match: [{ uri: { exact: '/a', prefix: '/b' } }], route: [{ destination: { host: 'a' } }] }] }));

    // THEN
    expect(problems.map((p) => p.path)).toContain('/spec/http/0/match/0/uri');
  });

  test('fails for a timeout below 1ms (CEL rule)', () => {
    // GIVEN / WHEN
    const problems = schemas.validate(vs({ hosts: ['a'], http: [{ timeout: '0s', route: [{ destination: { host: 'a' } }] }] }));

    // THEN
    expect(problems).toEqual([{ path: '/spec/http/0/timeout', message: "must be a valid duration greater than 1ms (duration(self) >= duration('1ms'))" }]);
  });

  test('fails for an unknown spec field, which the API server would silently prune', () => {
    // GIVEN / WHEN
    const problems = schemas.validate(vs({ hosts: ['a'], http: [{ routes: [], route: [{ destination: { host: 'a' } }] }] }));

    // THEN
    expect(problems.map((p) => [p.path, p.message])).toEqual([['/spec/http/0', 'must NOT have additional properties {"additionalProperty":"routes"}']]);
  });

  test('fails for a gateway server without port name, and for a destination without host', () => {
    // GIVEN / WHEN
    const gw = schemas.validate({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { servers: [{ port: { number: 80, protocol: 'HTTP' }, hosts: ['*'] }] } });
    const dest = schemas.validate(vs({ hosts: ['a'], http: [{ route: [{ destination: { subset: 'v1' } }] }] }));

    // THEN
    expect(gw.map((p) => p.message)).toContain('must have required property \'name\' {"missingProperty":"name"}');
    expect(dest.map((p) => p.path)).toEqual(['/spec/http/0/route/0/destination']);
  });

  test('parses Go durations', () => {
    expect([parseDuration('1ms'), parseDuration('1.5s'), parseDuration('1h30m'), parseDuration('0s'), parseDuration('5'), parseDuration('1x')])
      .toEqual([1e6, 1.5e9, 5400e9, 0, undefined, undefined]);
  });
});

describe('library output conforms to the Istio 1.30.3 CRDs', () => {
  test('every example output under examples/*/dist is schema-valid', () => {
    // GIVEN / WHEN the committed example output
    const manifests = exampleManifests();

    // THEN
    expect(problemsOf(manifests)).toEqual([]);
  });

  test('the output of 600 generated inputs (the valid ones) is schema-valid, and every CEL rule it meets is evaluated', () => {
    // GIVEN generated inputs (the invalid ones throw and are skipped here; properties.test covers them)
    const outputs = fc.sample(anyInputArb, { numRuns: 600, seed: 42 }).map((input) => synthInput(input)).filter((r) => r.manifests);

    // WHEN
    const problems = outputs.flatMap((r) => problemsOf(r.manifests!));

    // THEN
    expect(outputs.length).toBeGreaterThan(150);
    expect(problems).toEqual([]);
    expect([...schemas.unsupportedRules.entries()]).toEqual([]);
  });
});
