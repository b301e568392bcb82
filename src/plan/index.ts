export * from './types';
export { TrafficPlan } from './traffic-plan';
