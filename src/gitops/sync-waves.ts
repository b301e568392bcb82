import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * ArgoCD applies lower waves first and waits for them to be healthy, so pods and subsets exist
 * before a VirtualService routes to them (make-before-break); on deletion it goes the other way.
 * Caller policies come last too: pods that just got their service account must have replaced the
 * old ones before an allow-list names the new identity, and STRICT mTLS waits for the sidecars.
 */
const WAVES: Record<string, string> = {
  Namespace: '-3',
  ConfigMap: '-2',
  Secret: '-2',
  ServiceAccount: '-2',
  Deployment: '-2',
  StatefulSet: '-2',
  DaemonSet: '-2',
  Service: '-2',
  DestinationRule: '-1',
  Gateway: '-1',
  ReferenceGrant: '-1',
  MetricTemplate: '-1',
  VirtualService: '0',
  HTTPRoute: '0',
  TCPRoute: '0',
  Canary: '0',
  PeerAuthentication: '0',
  AuthorizationPolicy: '0',
};

/** Annotates every API object below `scope` with its sync wave, unless it already has one. */
export function addSyncWaves(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (!(construct instanceof ApiObject)) {
      continue;
    }
    const wave = WAVES[construct.kind];
    if (wave !== undefined && construct.metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION] === undefined) {
      construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, wave);
    }
  }
}

/** Kinds that must wait until the objects they route to (or guard) exist and are healthy. */
export const ROUTE_KINDS = new Set(['VirtualService', 'HTTPRoute', 'TCPRoute', 'Canary', 'PeerAuthentication', 'AuthorizationPolicy']);
