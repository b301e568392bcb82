import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { containersOf, DOCUMENTED_RESOURCES, podProblems } from './pod-specs';
import { readmeSnippets, synthSnippet, typeErrors, writeSnippetModules } from './readme-snippets';
import { BlueGreen, PortProtocol, VersionWorkload } from '../../src';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function distManifests(dir: string): any[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return distManifests(full);
    }
    return /\.ya?ml$/.test(e.name) ? parseAllDocuments(fs.readFileSync(full, 'utf8')).map((d) => d.toJS()) : [];
  });
}

describe('every README snippet compiles, synthesizes, and yields pods that start', () => {
  const snippets = readmeSnippets();
  const files = writeSnippetModules(snippets);

  test('the README has the snippets this test is about', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(7);
  });

  test('every snippet type-checks against the library', () => {
    expect(typeErrors(files)).toEqual([]);
  }, 120_000);

  test.each(snippets.map((s, i) => [s.line, files[i]]))('the snippet at README line %i yields pods that start with the documented defaults', (_line, file) => {
    // WHEN
    const manifests = synthSnippet(file as string);

    // THEN
    expect(manifests.length).toBeGreaterThan(0);
    expect(podProblems(manifests)).toEqual([]);
    for (const { container } of containersOf(manifests).filter((c) => c.container.securityContext?.runAsUser !== 1000)) {
      expect(container.resources).toEqual(DOCUMENTED_RESOURCES);
    }
  });
});

describe('every example yields pods that start', () => {
  test.each(fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'dist'))))('%s', (example) => {
    // GIVEN the committed output
    const manifests = distManifests(path.join(EXAMPLES, example, 'dist'));

    // THEN
    expect(containersOf(manifests).length).toBeGreaterThan(0);
    expect(podProblems(manifests)).toEqual([]);
  });
});

describe('container defaults', () => {
  const synth = (container: Partial<kplus.ContainerProps> & { image: string }, targetPort = 8080) => {
    const chart = Testing.chart();
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      ports: [{ port: 80, targetPort, protocol: PortProtocol.HTTP }],
      versions: [{ name: 'blue', workload: VersionWorkload.container(container) }],
    });
    return containersOf(Testing.synth(chart))[0].container;
  };

  test('a container that must not run as root gets the numeric user nobody', () => {
    expect(synth({ image: 'itwonderlab/color' }).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
  });

  test('a given user, or running as root on purpose, is kept', () => {
    expect(synth({ image: 'a:1', securityContext: { user: 1000 } }).securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true });
    const root = synth({ image: 'httpd:2', securityContext: { ensureNonRoot: false } }).securityContext;
    expect(root.runAsNonRoot).toBe(false);
    expect(root.runAsUser).toBeUndefined();
  });

  test('resources are small by default and kept when given', () => {
    expect(synth({ image: 'a:1' }).resources).toEqual(DOCUMENTED_RESOURCES);
    expect(synth({ image: 'a:1', resources: { cpu: { request: kplus.Cpu.millis(250) } } }).resources).toEqual({ requests: { cpu: '250m' } });
  });

  test.each([
    ['itwonderlab/color', 'Always'],
    ['itwonderlab/color:latest', 'Always'],
    ['registry.example.com:5000/web', 'Always'],
    ['ghcr.io/stefanprodan/podinfo:6.5.4', 'IfNotPresent'],
    ['registry.example.com:5000/web@sha256:0123', 'IfNotPresent'],
  ])('image %s is pulled %s, as Kubernetes would choose', (image, policy) => {
    expect(synth({ image }).imagePullPolicy).toBe(policy);
  });

  test('the container listens on the Service targetPort unless it declares a port', () => {
    expect(synth({ image: 'a:1' }, 5678).ports).toEqual([{ containerPort: 5678 }]);
  });

  test('a container port the Service never forwards to is an error naming both ports', () => {
    expect(() => synth({ image: 'a:1', portNumber: 8080 }, 80))
      .toThrow("test/web: the container of version 'blue' listens on 8080, but the Service forwards to targetPort 80, where nothing listens: set targetPort: 8080 on the Service port, or portNumber: 80 on the container");
  });
});
