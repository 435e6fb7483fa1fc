export * from './contracts/enums';
export * from './contracts/inputs';
export * from './custom-fields';
export { formatPhone, normalizeChinesePhone, normalizePhone } from './customers/phone';
export * from './dedup';
export * from './identity';
export * from './import-values';
export * from './text';
