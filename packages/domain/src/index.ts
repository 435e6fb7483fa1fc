export { normalizeChinesePhone } from './customers/phone';
export * from './identity';
export * from './dedup';
