export * from './finding';
export * from './analyze';
export * from './validation-plugin';
