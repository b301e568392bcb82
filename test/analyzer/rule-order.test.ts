import { app, findingsOf, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

const ROUTE_BLUE = 'route: [{ destination: { host: web, subset: blue } }]';
const ROUTE_GREEN = 'route: [{ destination: { host: web, subset: green } }]';

describe('IST0130 unreachable rule', () => {
  test('fails for a rule after a rule without match', () => {
    // GIVEN a catch-all before a header rule
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - ${ROUTE_BLUE}
  - name: testers
    match: [{ headers: { x-test: { exact: '1' } } }]
    ${ROUTE_GREEN}`);

    // WHEN
    const findings = findingsOf(yaml, 'IST0130');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([[
      FindingSeverity.WARNING,
      'spec.http[1]',
      "rule spec.http[1] ('testers') is unreachable: spec.http[0] before it matches every request, and istiod drops the rules after it",
    ]]);
  });

  test('fails for a rule after a rule whose match has no condition', () => {
    // GIVEN match: [{ name: all }] = catch-all
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ name: all }]
    ${ROUTE_BLUE}
  - ${ROUTE_GREEN}`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0130').map((f) => f.path)).toEqual(['spec.http[1]']);
  });

  test('fails for a rule whose every match an earlier rule covers', () => {
    // GIVEN prefix /api before prefix /api/v2 and exact /api/health
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /api } }]
    ${ROUTE_BLUE}
  - match: [{ uri: { prefix: /api/v2 } }, { uri: { exact: /api/health }, headers: { x-a: { exact: b } } }]
    ${ROUTE_GREEN}`);

    // WHEN
    const findings = findingsOf(yaml, 'IST0130');

    // THEN
    expect(findings.map((f) => [f.path, f.message])).toEqual([[
      'spec.http[1]',
      'rule spec.http[1] is unreachable: every match is already taken by an earlier match (spec.http[0].match[0])',
    ]]);
  });

  test('accepts specific rules before general ones', () => {
    // GIVEN the same rules in the right order plus a final catch-all
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /api/v2 } }]
    ${ROUTE_GREEN}
  - match: [{ uri: { prefix: /api } }]
    ${ROUTE_BLUE}
  - ${ROUTE_BLUE}`);

    // WHEN / THEN
    expect(findingsOf(yaml)).toEqual([]);
  });
});

describe('IST0131 ineffective match', () => {
  test('fails for a prefix an earlier shorter prefix shadows (/v1 takes /v10)', () => {
    // GIVEN /v1 before /v10 (with a second, effective match on the later rule)
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /v1 } }]
    ${ROUTE_BLUE}
  - match: [{ uri: { prefix: /v10 } }, { uri: { prefix: /v2 } }]
    ${ROUTE_GREEN}`);

    // WHEN
    const findings = findingsOf(yaml, 'IST0131');

    // THEN
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([[
      FindingSeverity.INFO,
      'spec.http[1].match[0]',
      'match spec.http[1].match[0] {"uri":{"prefix":"/v10"}} never wins: spec.http[0].match[0] already matches every request it matches',
    ]]);
  });

  test('fails for a header match identical to an earlier one in the same rule', () => {
    // GIVEN two identical entries in one rule
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ headers: { x-v: { exact: green } } }, { headers: { x-v: { exact: green } }, name: dup }, { uri: { exact: /g } }]
    ${ROUTE_GREEN}
  - ${ROUTE_BLUE}`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0131').map((f) => f.path)).toEqual(['spec.http[0].match[1]']);
  });

  test('fails for an exact value an earlier RE2 regex fully matches', () => {
    // GIVEN regex v[0-9]+ before exact v2
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ headers: { x-v: { regex: 'v[0-9]+' } } }]
    ${ROUTE_BLUE}
  - match: [{ headers: { x-v: { exact: v2 } } }, { headers: { x-v: { exact: beta } } }]
    ${ROUTE_GREEN}`);

    // WHEN / THEN
    expect(findingsOf(yaml, 'IST0131').map((f) => f.path)).toEqual(['spec.http[1].match[0]']);
  });

  test('accepts a later match that adds no condition the earlier one lacks but differs in sourceLabels', () => {
    // GIVEN sourceLabels version=blue first, then the same uri for everyone
    const yaml = app('web') + virtualService('web', `  hosts: [web]
  http:
  - match: [{ uri: { prefix: /a }, sourceLabels: { version: blue } }]
    ${ROUTE_BLUE}
  - match: [{ uri: { prefix: /a } }]
    ${ROUTE_GREEN}`);

    // WHEN / THEN the earlier entry applies to blue callers only, so the later one is reachable
    expect(findingsOf(yaml)).toEqual([]);
  });
});
