export * from './cookie';
export * from './password';
export * from './permissions';
export * from './rate-limit';
export * from './session';
