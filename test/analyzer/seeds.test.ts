import { findingsOf } from './fixtures';
import { FindingSeverity } from '../../src';
import { SEED_000_PII_DEMO, SEED_004_WEB_ECHO } from '../seed-manifests';


describe('seed 000 (pii-demo)', () => {
  test('fails on each host-header match, which Envoy never sees', () => {
    // WHEN
    const findings = findingsOf(SEED_000_PII_DEMO);

    // THEN exactly the three host-header matches are reported, all as errors
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.name, f.path])).toEqual([
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[0].match[0].headers.host'],
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[1].match[0].headers.host'],
      ['ISTT005', FindingSeverity.ERROR, 'VirtualService', 'httpd-server', 'spec.http[2].match[0].headers.host'],
    ]);
    expect(findings[0].message).toBe('headers match on \'host\' ({"exact":"pii-demo-blue.apps.hl.test"}) never matches: Envoy keeps the Host header as \':authority\'');
  });

  test('fails when the article\'s Service also selected on version (the classic mistake)', () => {
    // GIVEN the Service selecting version: blue
    const yaml = SEED_000_PII_DEMO.replace('selector: { app: httpd-server }', 'selector: { app: httpd-server, version: blue }');

    // WHEN / THEN
    expect(findingsOf(yaml, 'ISTT001').map((f) => [f.name, f.path])).toEqual([['httpd-server', 'spec.selector.version']]);
    expect(findingsOf(yaml, 'IST0173').map((f) => f.message)).toEqual([
      "subset 'green' (labels version=green) selects no pod behind Service 'pii-demo/httpd-server' (selector app=httpd-server, version=blue): requests routed to it get 503 UH",
    ]);
  });
});

describe('seed 004 (web-echo)', () => {
  const options = { knownGateways: ['istio-inject-blue-green/istio-service-mesh-tls-gateway'] };

  test('fails on the /v1 prefix rewritten to /, which sends //path, and warns about its one-space cookie regex', () => {
    // WHEN
    const findings = findingsOf(SEED_004_WEB_ECHO, undefined, options);

    // THEN the double-slash rewrite is an error; the published cookie regex has the one space
    // browsers send, but misses 'a=1;x-version=v2' as curl and scripts write it
    expect(findings.map((f) => [f.code, f.severity, f.kind, f.name, f.path])).toEqual([
      ['ISTT003', FindingSeverity.ERROR, 'VirtualService', 'istio-prod-blue-green', 'spec.http[0].match[0].uri.prefix'],
      ['ISTT009', FindingSeverity.WARNING, 'VirtualService', 'istio-prod-blue-green', 'spec.http[1].match[0].headers.Cookie.regex'],
    ]);
  });

  test('fails on the tutorials\' unspaced form of its cookie regex', () => {
    // GIVEN the cookie regex as most tutorials write it, without the space
    const yaml = SEED_004_WEB_ECHO.replace('^(.*?; )?(x-version=v2)', '^(.*?;)?(x-version=v2)');

    // WHEN / THEN
    expect(findingsOf(yaml, undefined, options).map((f) => [f.code, f.path])).toEqual([
      ['ISTT009', 'spec.http[1].match[0].headers.Cookie.regex'],
      ['ISTT003', 'spec.http[0].match[0].uri.prefix'],
    ]);
  });
});
