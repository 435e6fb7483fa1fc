export * from './contracts/enums';
export * from './contracts/inputs';
export * from './custom-fields';
export { CUSTOMER_LIST_COLUMNS, type CustomerListColumn } from './customers/list-columns';
export { formatPhone, normalizeChinesePhone, normalizePhone } from './customers/phone';
export * from './dedup';
export * from './identity';
export * from './import-values';
export * from './text';
