import { useRef } from 'react';

/**
 * A v4 UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost); a
 * self-hosted server opened over plain http on a LAN address has `getRandomValues` only.
 */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An Idempotency-Key for one create form: the same while the form is open, so a double
 * click or a retry after a lost answer creates once; a new one each time the form opens
 * again (`generation` changes: the open flag). A call that failed saved nothing under its
 * key, so correcting the form and saving again with the same key is fine.
 */
export function useIdempotencyKey(generation: unknown): string {
  const current = useRef<{ generation: unknown; key: string } | null>(null);
  if (!current.current || !Object.is(current.current.generation, generation)) {
    current.current = { generation, key: uuid() };
  }
  return current.current.key;
}

/** The tRPC request options that send the key with a mutation. */
export function idempotent(key: string) {
  return { context: { idempotencyKey: key } };
}
