/**
 * Keeps the hidden classes of resolved Kubernetes objects shared in apps of many charts.
 *
 * V8 shares one hidden class between objects built key by key from `{}` (as cdk8s's `resolve` and
 * `sanitizeValue` build every resolved object) through transitions from the empty object's hidden
 * class, and that class holds at most 1,536 of them, one per distinct first key (V8's
 * `src/objects/transitions.h`, `kMaxNumberOfTransitions`). Every construct keeps its children in
 * such an object, keyed by construct id, so an app of about 1,500 charts, each with its own first
 * child id, uses up the room. From then on each resolved object whose first key has no transition
 * yet (`labels`, `hosts`, `port`, ...) gets a hidden class of its own, and resolving, printing and
 * copying 6,400 objects of 1,600 charts takes two to three times as long (`npx projen bench -- --synth`).
 *
 * Recording the keys of the objects this library writes before the app's constructs are declared
 * takes about 180 of those transitions (Node and the library's modules take about 215) and leaves
 * more than a thousand to the app.
 */

/**
 * Field names of the Kubernetes, Istio, Gateway API, Flagger, ArgoCD, Flux and Kurator objects the
 * library writes, and of its own labels and annotations: every key of the examples' output
 * (`test/object-shapes.test.ts` keeps the list complete).
 */
export const OBJECT_KEYS: readonly string[] = [
  // object and metadata
  'apiVersion', 'kind', 'metadata', 'spec', 'name', 'namespace', 'labels', 'annotations',
  // labels and annotations the library writes
  'app', 'version', 'istio', 'istio-injection', 'istio.io/dataplane-mode', 'istio.io/use-waypoint', 'istio.io/waypoint-for',
  'argocd.argoproj.io/sync-wave', 'cdk8s-istio-traffic/stage', 'cdk8s.io/metadata.addr',
  // workloads and Services
  'selector', 'matchLabels', 'matchExpressions', 'key', 'operator', 'values', 'replicas', 'minReadySeconds',
  'progressDeadlineSeconds', 'strategy', 'type', 'rollingUpdate', 'maxSurge', 'maxUnavailable', 'template',
  'containers', 'image', 'imagePullPolicy', 'args', 'command', 'env', 'value', 'valueFrom', 'secretKeyRef',
  'ports', 'containerPort', 'port', 'targetPort', 'protocol', 'resources', 'limits', 'requests', 'cpu', 'memory',
  'securityContext', 'allowPrivilegeEscalation', 'privileged', 'readOnlyRootFilesystem', 'runAsGroup',
  'runAsNonRoot', 'runAsUser', 'fsGroupChangePolicy', 'startupProbe', 'tcpSocket', 'failureThreshold',
  'automountServiceAccountToken', 'dnsPolicy', 'hostNetwork', 'hostname', 'restartPolicy', 'serviceAccountName',
  'setHostnameAsFQDN', 'terminationGracePeriodSeconds',
  // Istio networking and security
  'hosts', 'gateways', 'http', 'tcp', 'tls', 'match', 'route', 'destination', 'host', 'subset', 'number', 'weight',
  'headers', 'cookie', 'uri', 'exact', 'prefix', 'regex', 'rewrite', 'timeout', 'sourceLabels', 'subsets',
  'trafficPolicy', 'servers', 'mode', 'credentialName', 'httpsRedirect', 'rules', 'from', 'source', 'principals',
  'mtls', 'action',
  // Gateway API
  'gatewayClassName', 'listeners', 'hostnames', 'parentRefs', 'sectionName', 'backendRefs', 'group',
  'matches', 'path', 'filters', 'urlRewrite', 'replaceFullPath', 'replacePrefixMatch', 'requestRedirect',
  'scheme', 'statusCode', 'certificateRefs',
  // Flagger
  'targetRef', 'service', 'analysis', 'interval', 'threshold', 'iterations', 'maxWeight', 'stepWeight', 'metrics',
  'thresholdRange', 'min', 'max', 'webhooks', 'url', 'timeoutSeconds', 'portName', 'testLoader',
  // ArgoCD, Flux and Kurator
  'project', 'repoURL', 'targetRevision', 'directory', 'recurse', 'include', 'generators', 'list', 'elements',
  'cluster', 'region', 'stage', 'goTemplate', 'goTemplateOptions', 'steps', 'clusterSelector', 'syncPolicy',
  'syncPolicies', 'rollingSync', 'wait', 'prune', 'sourceRef', 'kubeConfig', 'secretRef', 'targetNamespace',
  'dependsOn', 'ref', 'branch', 'gitRepository', 'kustomization', 'fleet', 'workload', 'rollout', 'rolloutPolicy',
  'rolloutTimeoutSeconds', 'serviceName', 'trafficAnalysis', 'trafficRouting', 'trafficRoutingProvider', 'analysisTimes',
  'checkFailedTimes', 'checkIntervalSeconds', 'intervalSeconds', 'cmd',
];

/**
 * One object per key, kept for the life of the process: V8 drops a transition once no object has
 * the hidden class it leads to, and a dropped one would leave its room to the app's construct ids.
 */
const shapes: Record<string, number>[] = [];

/**
 * Records a hidden-class transition for each of `OBJECT_KEYS`, once per process. Call it before the app's constructs are declared: `GitOpsApp` and `FleetApp` do in their
 * constructors.
 */
export function recordObjectShapes(): void {
  if (shapes.length > 0) {
    return;
  }
  for (const key of OBJECT_KEYS) {
    // a keyed store into a fresh `{}` takes the same transition cdk8s's resolution takes
    const shape: Record<string, number> = {};
    shape[key] = 0;
    shapes.push(shape);
  }
}
