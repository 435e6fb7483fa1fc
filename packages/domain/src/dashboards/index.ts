export * from './keys';
export * from './kpis';
