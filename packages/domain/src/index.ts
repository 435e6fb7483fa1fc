export { normalizeChinesePhone } from './customers/phone';
