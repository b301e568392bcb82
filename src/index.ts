export * from './api-version';
export * from './service-port';
export * from './version-workload';
export * from './gateway-binding';
export * from './preview-hosts';
export * from './traffic-release';
export * from './blue-green';
