import { describeHttpMatches, describeTcpMatches } from '../../src/plan/match-words';

const mesh = { atGateway: false };
const gateway = { atGateway: true };

describe('match words', () => {
  test.each([
    [[], 'any request'],
    [[{ uri: { prefix: '/v1/' } }, { uri: { exact: '/v1' } }], 'path /v1/… or path /v1'],
    [[{ uri: { regex: '/b[io]t' } }], 'path matching /b[io]t'],
    [[{ uri: { prefix: '/API' }, ignoreUriCase: true }], 'path /API… (any case)'],
    [[{ headers: { cookie: { regex: '^(.*?;\\s*)?(x-version=v2)(;.*)?$' } } }], 'cookie x-version=v2'],
    [[{ headers: { cookie: { regex: '^(.*?;\\s*)?(beta\\.user=1)(;.*)?$' } } }], 'cookie beta.user=1'],
    [[{ headers: { 'x-canary': { exact: 'always' } } }], 'header x-canary: always'],
    [[{ headers: { 'X-Tenant': { prefix: 'acme' } } }], 'header x-tenant: acme…'],
    [[{ headers: { 'x-debug': {} } }], 'header x-debug present'],
    [[{ withoutHeaders: { 'x-debug': {} } }], 'not header x-debug present'],
    [[{ queryParams: { beta: { exact: '1' } } }], 'query beta=1'],
    [[{ method: { exact: 'POST' }, uri: { prefix: '/api' } }], 'path /api… and method POST'],
    [[{ sourceLabels: { version: 'blue', app: 'web' } }], 'callers labelled app=web, version=blue'],
    [[{ sourceNamespace: 'qa' }], 'callers in namespace qa'],
  ])('%j reads as "%s" in the mesh', (matches, words) => {
    expect(describeHttpMatches(matches, mesh)).toBe(words);
  });

  test('a gateway table leaves out caller selectors, which were decided against the gateway pod', () => {
    expect(describeHttpMatches([{ sourceLabels: { istio: 'ingressgateway' }, uri: { prefix: '/a' } }], gateway)).toBe('path /a…');
  });

  test('TCP matches read as port and callers', () => {
    expect(describeTcpMatches([{ port: 3306, sourceLabels: { version: 'blue' } }], mesh)).toBe('port 3306 and callers labelled version=blue');
    expect(describeTcpMatches([], mesh)).toBe('any connection');
  });
});
