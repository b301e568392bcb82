import * as fc from 'fast-check';
import { CrdSchemas, exampleManifests } from './crd-schema';
import { anyInputArb, synthInput } from './release-inputs';
import { ReleaseOutput } from '../../src';

const standard = CrdSchemas.load('gateway-api-standard');
const experimental = CrdSchemas.load('gateway-api-experimental');
const GATEWAY_API = /^gateway\.networking\.k8s\.io\//;

/** Problems of every Gateway API object: standard-channel kinds against the standard CRDs, TCPRoute against the experimental ones. */
function problemsOf(manifests: any[]): string[] {
  return manifests.filter((m) => GATEWAY_API.test(String(m?.apiVersion))).flatMap((m) => {
    const schemas = standard.covers(m) ? standard : experimental;
    expect(schemas.covers(m)).toBe(true);
    return schemas.validate(m).map((p) => `${m.kind}/${m.metadata?.name}${p.path}: ${p.message}`);
  });
}

const route = (spec: any) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec });

describe('the schema validator on Gateway API v1.5.1', () => {
  test('fails for ReplacePrefixMatch in a rule with two matches (CEL rule)', () => {
    // GIVEN a rule whose prefix rewrite has no single PathPrefix match to replace
    const problems = standard.validate(route({
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/v1' } }, { path: { type: 'Exact', value: '/v1' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        backendRefs: [{ name: 'web-v1', port: 80 }],
      }],
    }));

    // THEN
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringContaining('exactly one PathPrefix match must be specified'));
  });

  test('fails for a Service backend without port, and fills in defaults before the rules run', () => {
    // GIVEN a rule without matches (defaulted to PathPrefix /) and a backend without port
    const problems = standard.validate(route({ rules: [{ backendRefs: [{ name: 'web' }] }] }));

    // THEN only the port is reported: the defaulted matches satisfy the match-count rule
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('Must have port for Service reference')]);
  });

  test('fails for a TCPRoute under the standard channel, which has no such kind', () => {
    const tcp = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 't' }, spec: { rules: [{ backendRefs: [{ name: 'db', port: 3306 }] }] } };
    expect(standard.covers(tcp)).toBe(false);
    expect(experimental.validate(tcp)).toEqual([]);
  });
});

describe('Gateway API output conforms to the v1.5.1 CRDs, CEL rules included', () => {
  test('every Gateway API object of the examples is schema-valid', () => {
    // GIVEN / WHEN the committed example output
    const manifests = exampleManifests();

    // THEN
    expect(manifests.filter((m) => GATEWAY_API.test(String(m?.apiVersion))).length).toBeGreaterThan(15);
    expect(problemsOf(manifests)).toEqual([]);
  });

  test('the Gateway API output of 400 generated inputs (the expressible ones) is schema-valid, and every CEL rule it meets is evaluated', () => {
    // GIVEN generated inputs written as Gateway API (the inexpressible and invalid ones throw and are skipped)
    const output = ReleaseOutput.gatewayApi({ experimentalChannel: true });
    const outputs = fc.sample(anyInputArb, { numRuns: 400, seed: 7 }).map((input) => synthInput(input, output)).filter((r) => r.manifests);

    // WHEN
    const problems = outputs.flatMap((r) => problemsOf(r.manifests!));

    // THEN
    expect(outputs.length).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    expect([...standard.unsupportedRules.entries(), ...experimental.unsupportedRules.entries()]).toEqual([]);
  });
});
