import { app, findingsOf, GATEWAY, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

describe('ISTT005 header match Envoy never sees', () => {
  test('fails for a headers.host match', () => {
    // GIVEN a match on the Host header
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - match: [{ headers: { Host: { exact: blue.example.com } } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]
  - route: [{ destination: { host: web, port: { number: 80 } } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT005');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([[
      FindingSeverity.ERROR, 'spec.http[0].match[0].headers.Host',
      'headers match on \'Host\' ({"exact":"blue.example.com"}) never matches: Envoy keeps the Host header as \':authority\'',
    ]]);
    expect(findings[0].fix).toMatch(/'authority'/);
  });

  test('fails for withoutHeaders.uri, which always matches', () => {
    // GIVEN withoutHeaders on the ignored key 'uri'
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ withoutHeaders: { uri: { prefix: /admin } } }]
    route: [{ destination: { host: web, subset: blue } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT005').map((f) => f.message)).toEqual([
      'withoutHeaders match on \'uri\' ({"prefix":"/admin"}) always matches (the header is always missing): istiod emits it as a literal header named \'uri\', not the path',
    ]);
  });
});

describe('ISTT002 sourceLabels on a gateway-only rule', () => {
  test('fails for sourceLabels on a VirtualService bound only to a gateway', () => {
    // GIVEN a gateway-only VirtualService selecting callers by version
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - match: [{ sourceLabels: { version: blue } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]
  - route: [{ destination: { host: web, subset: green, port: { number: 80 } } }]`);

    // WHEN
    const findings = findingsOf(yaml, 'ISTT002');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([[
      FindingSeverity.ERROR, 'spec.http[0].match[0].sourceLabels',
      "sourceLabels version=blue on a VirtualService bound only to gateways (default/gw) are compared with the gateway pods' labels, which lack them: the match is skipped and requests fall through to later rules",
    ]]);
  });

  test('fails for sourceLabels next to match-level gateways, which istiod ignores', () => {
    // GIVEN gateways and sourceLabels in one match entry of a mesh+gateway VirtualService
    const yaml = app('web') + GATEWAY + virtualService('web', `  hosts: [web]
  gateways: [mesh, gw]
  http:
  - match: [{ gateways: [gw], sourceLabels: { version: blue } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]
  - route: [{ destination: { host: web, port: { number: 80 } } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT002').map((f) => f.message)).toEqual([
      'sourceLabels version=blue are ignored: the match also lists gateways (gw), and then istiod drops sourceLabels, so the match applies to every caller on those gateways',
    ]);
  });

  test('accepts sourceLabels the gateway pods carry, and sourceLabels on a mesh VirtualService', () => {
    // GIVEN istio=ingressgateway on the gateway VS and version=blue on a mesh VS
    const yaml = app('web') + GATEWAY + virtualService('edge', `  hosts: [web.example.com]
  gateways: [gw]
  http:
  - match: [{ sourceLabels: { istio: ingressgateway }, uri: { prefix: /a } }]
    route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]`) + virtualService('mesh', `  hosts: [web]
  http:
  - match: [{ sourceLabels: { version: blue } }]
    route: [{ destination: { host: web, subset: blue } }]
  - route: [{ destination: { host: web, subset: green } }]`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});
