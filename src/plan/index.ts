export * from './types';
export { TrafficPlan } from './traffic-plan';
export * from './flagger-rollout';
