import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { recordConstructPaths } from './construct-paths';

/** Apps whose root already carries the check, so each app gets it once. */
const checkedRoots = new WeakSet<IConstruct>();

/**
 * The duplicate-object errors of an app, kept while one synthesis runs: cdk8s validates the whole
 * app once for the app and again once per chart, and the tree does not change in between, so the
 * walk is done once per synthesis (linear in the app), not once per chart. The entry is dropped
 * when the synchronous synthesis is over, so later changes to the app are seen by the next one.
 */
const resultsByRoot = new WeakMap<IConstruct, string[]>();

/**
 * Makes two ApiObjects with the same API group, kind, namespace and name anywhere in the app of
 * `scope` a synth-time error that names both construct paths. Kubernetes (and so ArgoCD and Flux)
 * keeps one object per identity: the second silently replaces the first, and whichever is written
 * last wins. Installed once per app however often it is called.
 */
export function requireUniqueObjects(scope: IConstruct): void {
  const root = scope.node.root;
  if (checkedRoots.has(root)) {
    return;
  }
  checkedRoots.add(root);
  root.node.addValidation({ validate: () => duplicateObjectErrors(root) });
}

function duplicateObjectErrors(root: IConstruct): string[] {
  const cached = resultsByRoot.get(root);
  if (cached) {
    return cached;
  }
  const errors = findDuplicateObjects(root);
  resultsByRoot.set(root, errors);
  queueMicrotask(() => resultsByRoot.delete(root));
  return errors;
}

/** One message per object that repeats an identity already taken by another object. */
function findDuplicateObjects(root: IConstruct): string[] {
  const owners = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof ApiObject)) {
      continue;
    }
    const key = objectIdentity(construct.apiVersion, construct.kind, construct.metadata.namespace, construct.name);
    const first = owners.get(key);
    if (first === undefined) {
      owners.set(key, construct);
      continue;
    }
    const namespace = construct.metadata.namespace;
    const where = namespace === undefined ? `${construct.kind} ${construct.name}` : `${construct.kind} ${namespace}/${construct.name}`;
    errors.push(`${where} (${apiGroup(construct.apiVersion) || 'core'} group) is defined twice, by ${first.node.path} and by ${construct.node.path}: `
      + 'the cluster keeps one object per group, kind, namespace and name, so one would silently replace the other; '
      + 'give one of them another name or namespace (for releases: serviceName, version names, gateway name or metric name)'
      + (construct.kind === 'Gateway' && namespace !== undefined
        ? `; to share one Gateway, create it in one release and bind the others with GatewayBinding.fromReference('${namespace}/${construct.name}')`
        : ''));
  }
  if (errors.length === 0) {
    // identities are unique now, so they key the construct paths the validation plugin reports
    recordConstructPaths(owners);
  }
  return errors;
}

/**
 * The identity Kubernetes gives an object: API group (not version: `v1` and `v1beta1` of one group
 * are the same object), kind, namespace and name.
 */
export function objectIdentity(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiGroup(apiVersion)}|${kind}|${namespace ?? ''}|${name}`;
}

/** `networking.istio.io/v1` -> `networking.istio.io`; core `v1` -> ''. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
