export * from './api-version';
