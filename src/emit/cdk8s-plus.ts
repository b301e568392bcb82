import type * as kplus from 'cdk8s-plus-27';

/**
 * cdk8s-plus-27, loaded the first time a release creates, labels or checks a cdk8s-plus workload.
 * Releases whose workloads are deployed elsewhere never need it, and loading it is about a fifth
 * of the library's cold start (`npx projen bench -- --synth`, cold require).
 */
export function cdk8sPlus(): typeof kplus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk8s-plus-27');
}
