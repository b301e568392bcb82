import { Testing } from 'cdk8s';
import { DestinationRule, Gateway, VirtualService } from '../imports/networking.istio.io';
import { BlueGreen, IstioApiVersion, PortProtocol } from '../src';

// The plain class names carry whichever CRD version `npx projen import` kept (the storage version).
// A regenerated binding that silently switched apiVersion would change every manifest we emit.
describe('generated Istio bindings', () => {
  test.each([
    ['VirtualService', VirtualService.GVK],
    ['DestinationRule', DestinationRule.GVK],
    ['Gateway', Gateway.GVK],
  ])('%s emits networking.istio.io/v1', (kind, gvk) => {
    expect(gvk.apiVersion).toEqual('networking.istio.io/v1');
    expect(gvk.kind).toEqual(kind);
  });
});

describe('IstioApiVersion', () => {
  function istioApiVersions(apiVersion?: IstioApiVersion): string[] {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: ['web.example.com'],
      activeVersion: 'blue',
      apiVersion,
    });

    // THEN
    return Testing.synth(chart)
      .filter((o) => ['VirtualService', 'DestinationRule', 'Gateway'].includes(o.kind))
      .map((o) => `${o.kind} ${o.apiVersion}`);
  }

  /** The same objects, every one of them with `apiVersion`. */
  function all(objects: string[], apiVersion: string): string[] {
    return objects.map((o) => `${o.split(' ')[0]} ${apiVersion}`);
  }

  test('by default every Istio object is networking.istio.io/v1', () => {
    const objects = istioApiVersions();
    expect(objects).toEqual(expect.arrayContaining(['DestinationRule networking.istio.io/v1', 'Gateway networking.istio.io/v1']));
    expect(objects).toEqual(all(objects, 'networking.istio.io/v1'));
  });

  test('V1BETA1 makes every Istio object networking.istio.io/v1beta1', () => {
    const objects = istioApiVersions(IstioApiVersion.V1BETA1);
    expect(new Set(objects.map((o) => o.split(' ')[0]))).toEqual(new Set(['VirtualService', 'DestinationRule', 'Gateway']));
    expect(objects).toEqual(all(objects, 'networking.istio.io/v1beta1'));
  });
});
