export * from './calendar';
export * from './settings';
export * from './sla';
export * from './statutory';
