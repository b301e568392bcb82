import { Duration, Testing } from 'cdk8s';
import {
  BlueGreen, Canary, CookieRoute, FlaggerMetric, GatewayBinding, PathRoute, PortProtocol, PreviewHosts, RequestMatch, VersionWorkload,
  ReleaseOutput,
} from '../../src';

/**
 * JavaScript and other jsii languages can pass values of any type. Whatever a prop receives, the
 * construct either accepts it or throws an error that starts with its construct path: never a
 * TypeError from deep inside the library.
 */
const WRONG_VALUES: unknown[] = [42, 'text', true, {}, [], null, [42], { a: 1 }, () => 1];

const workload = VersionWorkload.container({ image: 'web:1' });
const baseRelease = {
  serviceName: 'web',
  ports: [{ port: 80, protocol: PortProtocol.HTTP }],
  hosts: ['web.example.com'],
  gateway: GatewayBinding.create({ credentialName: 'tls', httpsRedirect: true }),
  labels: { team: 'a' },
  annotations: { note: 'b' },
  meshRouting: true,
  appLabel: 'app',
  versionLabel: 'version',
};

const CASES: Record<string, { props: Record<string, unknown>; build: (props: any) => void }> = {
  'BlueGreen': {
    props: { ...baseRelease, versions: [{ name: 'blue', workload }, { name: 'green' }], activeVersion: 'blue', previewHosts: PreviewHosts.pattern('{version}.example.org'), versionAffinity: true },
    build: (props) => new BlueGreen(Testing.chart(), 'release', props),
  },
  'Canary': {
    props: {
      ...baseRelease,
      stable: { name: 'v1' },
      canary: { name: 'v2', workload },
      canaryWeight: 10,
      match: [RequestMatch.uriPrefix('/api')],
      forceCanary: [RequestMatch.header('x-canary', 'on')],
      forceStable: [RequestMatch.header('x-stable', 'on')],
      mirrorPercentage: 5,
      stickySessions: { cookieName: 'pin', maxAgeSeconds: 60 },
    },
    build: (props) => new Canary(Testing.chart(), 'release', props),
  },
  'Canary with flagger': {
    props: {
      ...baseRelease,
      gateway: undefined,
      stable: { name: 'v1' },
      canary: { name: 'v2', workload },
      canaryWeight: 0,
      output: ReleaseOutput.flagger({
        interval: Duration.seconds(30),
        threshold: 2,
        stepWeight: 10,
        maxWeight: 50,
        metrics: [FlaggerMetric.requestSuccessRate(99)],
        webhooks: [],
        rolloutTimeout: Duration.minutes(5),
        routeTimeout: Duration.seconds(5),
      }),
    },
    build: (props) => new Canary(Testing.chart(), 'release', props),
  },
  'CookieRoute': {
    props: { version: 'green', cookieName: 'x-version', cookieValue: 'green', pathPrefix: '/beta', rewritePrefix: '/' },
    build: (props) => {
      const chart = Testing.chart();
      const release = new BlueGreen(chart, 'release', { ...baseRelease, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'blue' } as any);
      new CookieRoute(chart, 'route', props !== null && typeof props === 'object' ? { release, ...props } : props);
    },
  },
  'PathRoute': {
    props: { version: 'green', pathPrefix: '/v2', rewritePrefix: '/' },
    build: (props) => {
      const chart = Testing.chart();
      const release = new BlueGreen(chart, 'release', { ...baseRelease, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'blue' } as any);
      new PathRoute(chart, 'route', props !== null && typeof props === 'object' ? { release, ...props } : props);
    },
  },
};

function outcome(build: () => void): string {
  try {
    build();
    return 'accepted';
  } catch (err: any) {
    return `${err?.constructor?.name}: ${err?.message}`;
  }
}

describe.each(Object.entries(CASES))('%s props of the wrong type', (_name, { props, build }) => {
  test('the valid props are accepted', () => {
    expect(outcome(() => build(props))).toBe('accepted');
  });

  test('every wrong value of every prop is accepted or reported with the construct path', () => {
    const unclear: string[] = [];
    for (const key of Object.keys(props)) {
      for (const value of WRONG_VALUES) {
        // GIVEN / WHEN
        const result = outcome(() => build({ ...props, [key]: value }));

        // THEN
        if (result !== 'accepted' && !/^Error: test\/(release|route)( \([^)]*\))?: [a-z]/.test(result)) {
          unclear.push(`${key} = ${JSON.stringify(value) ?? String(value)}: ${result}`);
        }
      }
    }
    expect(unclear).toEqual([]);
  });

  test('props themselves missing or of the wrong type are reported with the construct path', () => {
    for (const value of [undefined, 42, 'text']) {
      expect(outcome(() => build(value))).toMatch(/^Error: test\/(release|route): invalid props: expected an object/);
    }
  });
});
