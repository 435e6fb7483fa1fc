export * from './api-rate-limit';
export * from './api-scopes';
export * from './cookie';
export * from './password';
export * from './permissions';
export * from './rate-limit';
export * from './session';
export * from './tenant-rate-limit';
