export { normalizeChinesePhone } from './customers/phone';
export * from './identity';
