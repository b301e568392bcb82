export * from './types';
export * from './route-simulator';
export * from './traffic-testing';
