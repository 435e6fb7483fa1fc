import { randomUUID } from 'node:crypto';
import { type ApiScope, type Permission, scopeAllows } from '@crm/auth';
import type { Database, Role, Transaction } from '@crm/db';
import { recordTenantAuthEvent } from '../auth-events/auth-events.service';
import { appError } from '../errors';
import type { MemberScope, Scope } from '../scope';
import { ipAllowed } from './api-keys.ip';
import {
  insertApiKey,
  type KeyForCall,
  revokeApiKeyRow,
  selectApiKey,
  selectApiKeys,
  touchApiKey,
} from './api-keys.repository';
import type { ApiKeyOutput, CreateApiKeyInput, CreatedApiKeyOutput } from './api-keys.schemas';
import { mintApiKey, type ParsedApiKey, secretMatches } from './api-keys.token';

export function listApiKeys(scope: Scope): Promise<ApiKeyOutput[]> {
  return selectApiKeys(scope);
}

/** A new key; its token is in this answer and nowhere else, ever. */
export async function createApiKey(
  scope: MemberScope,
  input: CreateApiKeyInput,
): Promise<CreatedApiKeyOutput> {
  if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now())
    throw appError('API_KEY_EXPIRY_PAST', {}, 'expiresAt');
  const id = randomUUID();
  const minted = mintApiKey(scope.tenantId, id);
  await insertApiKey(scope, {
    id,
    name: input.name,
    displayPrefix: minted.displayPrefix,
    secretHash: minted.secretHash,
    scopes: [...new Set(input.scopes)],
    ipAllowlist: input.ipAllowlist.map((rule) => rule.trim()),
    rateLimitPerMinute: input.rateLimitPerMinute,
    expiresAt: input.expiresAt ?? null,
  });
  const key = await selectApiKey(scope, id);
  if (!key) throw new Error('The new API key was not found');
  await recordTenantAuthEvent(scope.trx, scope.tenantId, {
    event: 'api_key_created',
    userId: scope.userId,
    apiKeyId: id,
  });
  return { key, token: minted.token };
}

export async function revokeApiKey(scope: Scope, id: string): Promise<ApiKeyOutput> {
  const revoked = await revokeApiKeyRow(scope, id);
  const key = await selectApiKey(scope, id);
  if (!key) throw appError('API_KEY_NOT_FOUND');
  if (revoked)
    await recordTenantAuthEvent(scope.trx, scope.tenantId, {
      event: 'api_key_revoked',
      userId: scope.userId,
      apiKeyId: id,
    });
  return key;
}

/**
 * Records a call's use of a key — its last use and address, and an `api_key_used` auth event
 * — at most once a minute per key (a busy key does not write on every call), in `trx`, which
 * is scoped to the key's tenant.
 */
export async function recordApiKeyUse(
  trx: Transaction<Database>,
  tenantId: string,
  keyId: string,
  userId: string,
  ip: string,
): Promise<void> {
  if (await touchApiKey(trx, tenantId, keyId, ip))
    await recordTenantAuthEvent(trx, tenantId, { event: 'api_key_used', userId, apiKeyId: keyId, ip });
}

/** Who a call through a key acts as, and what the caller's door needs to know of the key. */
export type ApiKeyCaller = {
  userId: string;
  role: Role;
  teamId: string | null;
  rateLimitPerMinute: number;
  /** Whether the key's last use is older than a minute (the door records this use). */
  touch: boolean;
};

/**
 * Checks a call through an API key against the key's row as the call's opening statement read
 * it (`keyForCallQuery`, in the transaction scoped to the key's tenant): the key exists there
 * with this secret, is neither revoked nor expired, allows the caller's address, holds the
 * route's scope, and the procedure's permission is one of that scope's; its creator is still an
 * enabled member (the key then acts as them: their role and record access, never more). An
 * unknown, revoked or expired key, and a foreign tenant's, answer the same API_KEY_INVALID.
 * The row is read on every call, so a revocation takes effect on the next one.
 */
export function verifyApiKeyCall(
  key: KeyForCall | undefined,
  parsed: ParsedApiKey,
  call: { clientIp: string; scope: ApiScope; permission: Permission | undefined },
): ApiKeyCaller {
  if (!key || !secretMatches(parsed.secret, key.secret_hash)) throw appError('API_KEY_INVALID');
  if (key.revoked_at || (key.expires_at && key.expires_at.getTime() <= Date.now()))
    throw appError('API_KEY_INVALID');
  if (!key.role || key.disabled_at) throw appError('API_KEY_INVALID');
  if (!ipAllowed(key.ip_allowlist, call.clientIp)) throw appError('API_KEY_IP_NOT_ALLOWED');
  if (!key.scopes.includes(call.scope)) throw appError('API_KEY_SCOPE_MISSING', { scope: call.scope });
  if (!call.permission || !scopeAllows(call.scope, call.permission)) throw appError('FORBIDDEN');
  return {
    userId: key.created_by,
    role: key.role,
    teamId: key.team_id,
    rateLimitPerMinute: key.rate_limit_per_minute,
    touch: !key.last_used_at || Date.now() - key.last_used_at.getTime() > 60_000,
  };
}
