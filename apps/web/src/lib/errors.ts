import type { AppRouter } from '@crm/api';
import { TRPCClientError } from '@trpc/client';

export type ApiError = TRPCClientError<AppRouter>;
export type FieldError = { path: string; message: string };

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The server's stable error code, e.g. 'INVALID_CREDENTIALS', 'FORBIDDEN', 'UNAUTHENTICATED'. */
export function appCodeOf(error: unknown): string | null {
  return isApiError(error) ? (error.data?.appCode ?? null) : null;
}

export function fieldErrorsOf(error: unknown): FieldError[] {
  return isApiError(error) ? (error.data?.fieldErrors ?? []) : [];
}

export function httpStatusOf(error: unknown): number | null {
  return isApiError(error) ? (error.data?.httpStatus ?? null) : null;
}

/**
 * The message to show: the server's own (already in the UI language) when it sent one, else a
 * generic message for network failures and non-tRPC responses.
 */
export function errorMessage(error: unknown, fallback: { network: string; unknown: string }): string {
  if (isApiError(error)) {
    if (error.data) return error.message;
    // No tRPC error shape: the request never reached the API (offline, proxy down) or was refused before it.
    return error.cause instanceof TypeError || /fetch|network/i.test(error.message)
      ? fallback.network
      : fallback.unknown;
  }
  return fallback.unknown;
}
