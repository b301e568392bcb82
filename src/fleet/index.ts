export * from './fleet-cluster';
export * from './staged-rollout';
export * from './fleet-release';
export * from './fleet-delivery';
export * from './fleet-app';
export * from './kurator-application';
export * from './kurator-sync-policy';
export { ApplicationSetGenerator } from './argocd-delivery';
