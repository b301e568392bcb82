import { app, findingsOf, service, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

describe('ISTT003 / ISTT004 prefix rewrites', () => {
  test('fails when prefix /v1 with rewrite / produces a double slash', () => {
    // GIVEN the classic istio/istio#26828 rewrite
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT003');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message, f.fix])).toEqual([[
      FindingSeverity.ERROR, 'spec.http[0].match[0].uri.prefix',
      "prefix '/v1' with rewrite.uri '/' turns '/v1/users' into '//users': the rewrite replaces only the matched characters, leaving a double slash",
      "match prefix '/v1/' with rewrite '/', plus exact '/v1' with rewrite '/' in a second rule",
    ]]);
  });

  test('fails (warning) when prefix /v1/ with rewrite /api glues segments', () => {
    // GIVEN a trailing-slash prefix and a rewrite without one
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1/ } }]
    rewrite: { uri: /api }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT004').map((f) => [f.severity, f.message])).toEqual([[
      FindingSeverity.WARNING, "prefix '/v1/' with rewrite.uri '/api' turns '/v1/users' into '/apiusers': the remaining path is glued onto the rewrite",
    ]]);
  });

  test('accepts the two-rule form and exact matches', () => {
    // GIVEN /v1/ -> / and exact /v1 -> /
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1/ } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]
  - match: [{ uri: { exact: /v1 } }]
    rewrite: { uri: / }
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});

describe('IST0118 port name without protocol', () => {
  test('fails for a port named without a protocol prefix', () => {
    // GIVEN ports 'web' (no protocol), 'http-api', appProtocol grpc and well-known 3306
    const yaml = service('web', 'default', '{ app: web }', '[{ name: web, port: 8080 }, { name: http-api, port: 80 }, { name: x, port: 9000, appProtocol: grpc }, { port: 3306 }]');

    // WHEN
    const findings = findingsOf(yaml, 'IST0118');

    // THEN
    expect(findings.map((f) => [f.severity, f.kind, f.path, f.message])).toEqual([[
      FindingSeverity.INFO, 'Service', 'spec.ports[0]',
      "port 8080 has name 'web' and no appProtocol, so istio guesses its protocol by sniffing: the name must be one of http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp, optionally followed by '-<suffix>'",
    ]]);
  });

  test('is left out with ignoreCodes', () => {
    // GIVEN the same Service, ignoring IST0118
    const yaml = service('web', 'default', '{ app: web }', '[{ name: web, port: 8080 }]');

    // WHEN / THEN
    expect(findingsOf(yaml, undefined, { ignoreCodes: ['IST0118'] })).toEqual([]);
  });
});
