import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, AuthorizationPolicySpec, AuthorizationPolicySpecAction, AuthorizationPolicySpecRulesFrom, PeerAuthentication,
  PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode, PeerAuthenticationSpecPortLevelMtls, PeerAuthenticationSpecPortLevelMtlsMode,
} from '../../imports/security.istio.io';
import { IstioApiVersion } from '../api-version';

/** An Istio security kind, tied to the generated spec type the library writes for it. */
interface SecurityKind<Spec> {
  readonly kind: string;
  /** Never set: only makes `securityObject` accept the right spec type for the kind. */
  readonly specType?: Spec;
}

export const PEER_AUTHENTICATION: SecurityKind<PeerAuthenticationSpec> = { kind: PeerAuthentication.GVK.kind };
export const AUTHORIZATION_POLICY: SecurityKind<AuthorizationPolicySpec> = { kind: AuthorizationPolicy.GVK.kind };

/**
 * A `security.istio.io` object of the release's Istio API version. Like the networking objects, the
 * spec is typed with the generated interfaces and written as is: every field has its wire name.
 * `v1beta1` serves the same schema on Istio releases older than 1.22.
 */
export function securityObject<Spec extends object>(
  scope: Construct, id: string, kind: SecurityKind<Spec>, apiVersion: IstioApiVersion, metadata: ApiObjectMetadata, spec: Spec,
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: `security.istio.io/${apiVersion}`, kind: kind.kind, metadata, spec });
}

/** A workload port whose mode differs from the workload's. */
export interface PortMode {
  /** The workload (target) port: Istio keys `portLevelMtls` by it. */
  readonly targetPort: number;
  readonly mode: 'PERMISSIVE' | 'DISABLE';
}

/** STRICT mutual TLS for the pods the selector picks, with port-level exceptions. */
export function strictPeerAuthenticationSpec(selector: Record<string, string>, exceptions: PortMode[]): PeerAuthenticationSpec {
  const ports = [...exceptions].sort((a, b) => a.targetPort - b.targetPort);
  const portLevelMtls: Record<string, PeerAuthenticationSpecPortLevelMtls> = {};
  for (const p of ports) {
    portLevelMtls[String(p.targetPort)] = {
      mode: p.mode === 'DISABLE' ? PeerAuthenticationSpecPortLevelMtlsMode.DISABLE : PeerAuthenticationSpecPortLevelMtlsMode.PERMISSIVE,
    };
  }
  return {
    selector: { matchLabels: { ...selector } },
    mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT },
    ...(ports.length > 0 ? { portLevelMtls } : {}),
  };
}

/** Who an ALLOW policy admits: principals and namespaces (either list may be empty). */
export interface AllowedSources {
  readonly principals: string[];
  readonly namespaces: string[];
}

/**
 * An ALLOW policy for the pods the selector picks that admits exactly the given sources. Without
 * any source it has no rules, which Istio reads as "matches nothing": every request is denied.
 */
export function allowPolicySpec(selector: Record<string, string>, sources: AllowedSources): AuthorizationPolicySpec {
  const from: AuthorizationPolicySpecRulesFrom[] = [];
  if (sources.principals.length > 0) {
    from.push({ source: { principals: [...sources.principals] } });
  }
  if (sources.namespaces.length > 0) {
    from.push({ source: { namespaces: [...sources.namespaces] } });
  }
  return {
    selector: { matchLabels: { ...selector } },
    action: AuthorizationPolicySpecAction.ALLOW,
    ...(from.length > 0 ? { rules: [{ from }] } : {}),
  };
}
