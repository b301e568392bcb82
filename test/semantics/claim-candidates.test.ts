import { claimConflicts, gatewayHostClaims, referencedGatewayClaims, virtualServicesThatMayMeet } from '../../src/semantics/gateways';
import { ManifestIndex } from '../../src/semantics/manifest-index';

/**
 * The host-sharing check indexes only the VirtualServices that can meet another one on a gateway
 * virtual host (pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig groups routes by
 * virtual host domain; a domain bound by one VirtualService alone holds only its routes). Leaving
 * out the others must change no claim and no conflict.
 */

function virtualService(name: string, hosts: string[], gateways: string[], http: any[] = [{ route: [{ destination: { host: name } }] }]): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec: { hosts, gateways, http } };
}

const GATEWAY = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'own', namespace: 'shop' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['own.example.com'] }] },
};

function names(manifests: any[]): string[] {
  return manifests.map((m) => m.metadata.name).sort();
}

/** Every claim conflict of the manifests, in words that do not depend on index positions. */
function conflicts(manifests: any[]): string[] {
  const index = new ManifestIndex(manifests);
  return claimConflicts([...gatewayHostClaims(index), ...referencedGatewayClaims(index)])
    .map((c) => `${c.kind} ${c.first.virtualService.name}@${c.first.domain} ${c.second.virtualService.name}@${c.second.domain}`)
    .sort();
}

describe('virtualServicesThatMayMeet', () => {
  test('on a Gateway outside the manifests, only VirtualServices sharing a host are kept', () => {
    // GIVEN releases bound to a referenced gateway: two on one host (short and full name), one alone
    const vss = [
      virtualService('a', ['a.example.com'], ['istio-system/public']),
      virtualService('b', ['shared.example.com'], ['istio-system/public']),
      virtualService('c', ['SHARED.example.com'], ['istio-system/public']),
      virtualService('d', ['d.example.com', 'shared.example.com'], ['istio-system/other']),
    ];

    // WHEN / THEN the two on one host of one gateway are kept; a host shared across gateways meets nobody
    expect(names(virtualServicesThatMayMeet(vss, new Set()))).toEqual(['b', 'c']);
  });

  test('a wildcard host keeps every VirtualService of its Gateway: it may cover them', () => {
    const vss = [
      virtualService('wide', ['*.example.com'], ['istio-system/public']),
      virtualService('narrow', ['api.example.com'], ['istio-system/public']),
      virtualService('elsewhere', ['api.example.com'], ['istio-system/other']),
    ];
    expect(names(virtualServicesThatMayMeet(vss, new Set()))).toEqual(['narrow', 'wide']);
  });

  test('every VirtualService bound to a Gateway among the manifests is kept, and mesh-only ones are not', () => {
    const vss = [
      virtualService('bound', ['own.example.com'], ['own']),
      virtualService('legacy-form', ['own.example.com'], ['own.shop.svc.cluster.local']),
      virtualService('mesh-only', ['checkout'], ['mesh']),
    ];
    expect(names(virtualServicesThatMayMeet(vss, new Set(['shop/own'])))).toEqual(['bound', 'legacy-form']);
  });

  test('the conflicts found among the kept VirtualServices are exactly those among all of them', () => {
    // GIVEN a mix: catch-alls on a shared host, overlapping paths, a wildcard on another gateway, lone hosts, an own Gateway
    const catchAll = [{ route: [{ destination: { host: 'x' } }] }];
    const api = [{ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'x' } }] }];
    const vss = [
      virtualService('first', ['shop.example.com'], ['istio-system/public'], catchAll),
      virtualService('second', ['shop.example.com'], ['istio-system/public'], catchAll),
      virtualService('api-1', ['api.example.com'], ['istio-system/public'], api),
      virtualService('api-2', ['api.example.com'], ['istio-system/public'], api),
      virtualService('lone', ['lone.example.com'], ['istio-system/public'], catchAll),
      virtualService('wide', ['*.example.org'], ['istio-system/other'], catchAll),
      virtualService('covered', ['www.example.org'], ['istio-system/other'], catchAll),
      virtualService('own-1', ['own.example.com'], ['own'], catchAll),
      virtualService('own-2', ['own.example.com'], ['own'], catchAll),
    ];
    const all = [GATEWAY, ...vss];

    // WHEN the conflicts are computed on every VirtualService and on the kept ones
    const kept = [GATEWAY, ...virtualServicesThatMayMeet(vss, new Set(['shop/own']))];

    // THEN they are the same, and the lone one was left out
    expect(conflicts(all).length).toBeGreaterThanOrEqual(4);
    expect(conflicts(kept)).toEqual(conflicts(all));
    expect(names(kept)).not.toContain('lone');
  });
});
