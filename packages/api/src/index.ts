export { type ApiDependencies, type Context, createContext, type Logger, type RequestInfo } from './context';
export { AppError, ERRORS, type ErrorCode, translateError } from './errors';
export { LOCALES, type Locale, resolveLocale } from './i18n';
export { type AppRouter, appRouter, createCaller, listProcedures, type ProcedureInfo } from './root';
export type { FieldError, Meta } from './trpc';
