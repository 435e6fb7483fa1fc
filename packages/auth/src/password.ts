import { hash, verify } from '@node-rs/argon2';

/** OWASP / ASVS 5 11.4.2 floor for argon2id: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id (a const enum, so its value is spelled out).
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Passwords so common that a credential-stuffing list tries them first. */
const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  '11111111',
  '88888888',
  '00000000',
  '66666666',
  '12341234',
  '11223344',
  'password',
  'password1',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'iloveyou',
  'abc12345',
  'abcd1234',
  'a1234567',
  'a12345678',
  'aa123456',
  'woaini1314',
  'woaini520',
  '1qaz2wsx',
  'qwe123456',
  '5201314520',
  'admin123',
  'admin888',
  'zxcvbnm1',
  'asdfghjk',
  '123qweasd',
  'qazwsxedc',
  'sunshine',
  'princess',
  'football',
]);

export type PasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_COMMON';

/** ASVS 5 V6.2: length rules and a breached/common list, no composition rules. */
export function checkPasswordPolicy(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'PASSWORD_TOO_COMMON';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check when the account does not exist (no timing oracle). */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('dummy password that never matches');
  await verifyPassword(await dummyHash, password);
  return false;
}
