import { IndexedService } from './manifest-index';
import { PortProtocol } from './protocols';

/**
 * ExternalName Services as istiod's analyzer judges their ports
 * (`pkg/config/analysis/analyzers/service/portname.go`).
 */

/** Whether a Service is `type: ExternalName` (a DNS alias without endpoints). */
export function isExternalName(svc: IndexedService): boolean {
  return svc.spec.type === 'ExternalName';
}

/**
 * The index of the first port the sidecar may not forward correctly to an ExternalName Service: one
 * that declares no protocol, or is named just `tcp`; -1 when there is none.
 */
export function invalidExternalNamePort(svc: IndexedService): number {
  return svc.ports.findIndex((p) => p.protocol === PortProtocol.SNIFFED || p.name === 'tcp');
}
