import { app, findingsOf, GATEWAY, virtualService } from './fixtures';
import { FindingSeverity } from '../../src';

const rule = (field: string, header: string, regex: string, subset = 'green') =>
  `  - match: [{ ${field}: { ${header}: { regex: '${regex}' } } }]\n    route: [{ destination: { host: web, subset: ${subset} } }]`;
const LAST = '  - route: [{ destination: { host: web, subset: blue } }]';

describe('ISTT009 cookie regex misses cookies after the first', () => {
  test('reports the tutorials\' unspaced regex and its variants, with the regex CookieRoute emits as fix', () => {
    // GIVEN, in two namespaces, the tutorial regex on a gateway route, its variants ('(.*;)?',
    // non-capturing groups, no '^', an escaped '.'), one in withoutHeaders, and regexes that are
    // right: the library's '\s*', a header other than cookie, another shape; a literal '; ' (seed 004)
    const yaml = app('web') + app('web', 'shop') + GATEWAY
      + virtualService('edge', `  hosts: [web.example.com]\n  gateways: [gw]\n  http:\n${[
        rule('headers', 'cookie', '^(.*?;)?(x-version=v2)(;.*)?$'),
        rule('headers', 'Cookie', '^(.*;)?(user=qa)(;.*)?$'),
        rule('headers', 'cookie', '^(.*?;\\s*)?(flag=on)(;.*)?$'),
        rule('headers', 'cookie', '^(.*?; )?(flag=off)(;.*)?$'),
        rule('headers', 'x-cookie', '^(.*?;)?(x=1)(;.*)?$'),
        rule('headers', 'cookie', '.*beta=1.*'),
      ].join('\n')}\n  - route: [{ destination: { host: web, subset: blue, port: { number: 80 } } }]`.replace(/subset: (green|blue) }/g, 'subset: $1, port: { number: 80 } }'))
      + virtualService('mesh', `  hosts: [web]\n  http:\n${[
        rule('headers', 'cookie', '(?:.*?;)?(?:canary=always)(;.*)?$'),
        rule('headers', 'cookie', '^(.*?;)?(app\\.version=v2)(;.*)?$'),
        rule('withoutHeaders', 'cookie', '^(.*?;)?(opt-out=1)(;.*)?$', 'blue'),
      ].join('\n')}\n${LAST}`, 'shop');

    // WHEN
    const findings = findingsOf(yaml);

    // THEN the unspaced ones are errors, and seed 004's exactly-one-space form a warning
    expect(findings.map((f) => [f.code, f.severity, f.namespace, f.name, f.path])).toEqual([
      ['ISTT009', FindingSeverity.ERROR, 'default', 'edge', 'spec.http[0].match[0].headers.cookie.regex'],
      ['ISTT009', FindingSeverity.ERROR, 'default', 'edge', 'spec.http[1].match[0].headers.Cookie.regex'],
      ['ISTT009', FindingSeverity.ERROR, 'shop', 'mesh', 'spec.http[0].match[0].headers.cookie.regex'],
      ['ISTT009', FindingSeverity.ERROR, 'shop', 'mesh', 'spec.http[1].match[0].headers.cookie.regex'],
      ['ISTT009', FindingSeverity.ERROR, 'shop', 'mesh', 'spec.http[2].match[0].withoutHeaders.cookie.regex'],
      ['ISTT009', FindingSeverity.WARNING, 'default', 'edge', 'spec.http[3].match[0].headers.cookie.regex'],
    ]);
    expect(findings[5].message).toBe("cookie regex '^(.*?; )?(flag=off)(;.*)?$' finds 'flag=off' after another cookie only with exactly one space after ';': the header 'session=1;flag=off', as curl, scripts and some proxies write it, does not match and the request takes another route");
    expect(findings[0].message).toBe("cookie regex '^(.*?;)?(x-version=v2)(;.*)?$' finds 'x-version=v2' only when it is the first cookie: browsers separate cookies with '; ', so the header 'session=1; x-version=v2' does not match and the request takes another route");
    expect(findings[0].fix).toBe("accept any spaces after ';': regex '^(.*?;\\s*)?(x-version=v2)(;.*)?$' (what CookieRoute emits)");
    expect(findings[3].fix).toBe("accept any spaces after ';': regex '^(.*?;\\s*)?(app\\.version=v2)(;.*)?$' (what CookieRoute emits)");
  });
});
