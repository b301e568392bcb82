export * from './mutual-tls';
export * from './allowed-caller';
export * from './workload-identity';
