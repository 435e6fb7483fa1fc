import type { Database, Role, Transaction } from '@crm/db';
import { CompiledQuery, sql } from 'kysely';
import type { Scope } from '../scope';
import type { ApiKeyOutput } from './api-keys.schemas';

/** Every query of API keys: scope first, rows or counts back. */

type KeyRow = {
  id: string;
  name: string;
  display_prefix: string;
  scopes: string[];
  ip_allowlist: string[];
  rate_limit_per_minute: number;
  expires_at: Date | null;
  created_at: Date;
  created_by_name: string | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
  revoked_at: Date | null;
};

function toOutput(row: KeyRow, now: Date): ApiKeyOutput {
  const status = row.revoked_at
    ? 'revoked'
    : row.expires_at && row.expires_at.getTime() <= now.getTime()
      ? 'expired'
      : 'active';
  return {
    id: row.id,
    name: row.name,
    displayPrefix: row.display_prefix,
    scopes: row.scopes as ApiKeyOutput['scopes'],
    ipAllowlist: row.ip_allowlist,
    rateLimitPerMinute: row.rate_limit_per_minute,
    expiresAt: row.expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    createdByName: row.created_by_name,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    lastUsedIp: row.last_used_ip,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status,
  };
}

function keyQuery(scope: Scope) {
  return scope.trx
    .selectFrom('api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.display_prefix',
      'k.scopes',
      'k.ip_allowlist',
      'k.rate_limit_per_minute',
      'k.expires_at',
      'k.created_at',
      'u.name as created_by_name',
      'k.last_used_at',
      'k.last_used_ip',
      'k.revoked_at',
    ])
    .where('k.tenant_id', '=', scope.tenantId);
}

export async function selectApiKeys(scope: Scope): Promise<ApiKeyOutput[]> {
  const rows = await keyQuery(scope).orderBy('k.created_at', 'desc').orderBy('k.id').execute();
  const now = new Date();
  return rows.map((row) => toOutput(row as KeyRow, now));
}

export async function selectApiKey(scope: Scope, id: string): Promise<ApiKeyOutput | undefined> {
  const row = await keyQuery(scope).where('k.id', '=', id).executeTakeFirst();
  return row ? toOutput(row as KeyRow, new Date()) : undefined;
}

export async function insertApiKey(
  scope: Scope & { userId: string },
  values: {
    id: string;
    name: string;
    displayPrefix: string;
    secretHash: Buffer;
    scopes: string[];
    ipAllowlist: string[];
    rateLimitPerMinute: number;
    expiresAt: string | null;
  },
): Promise<void> {
  await scope.trx
    .insertInto('api_keys')
    .values({
      tenant_id: scope.tenantId,
      id: values.id,
      name: values.name,
      display_prefix: values.displayPrefix,
      secret_hash: values.secretHash,
      scopes: values.scopes,
      ip_allowlist: values.ipAllowlist,
      rate_limit_per_minute: values.rateLimitPerMinute,
      expires_at: values.expiresAt,
      created_by: scope.userId,
    })
    .execute();
}

/** Whether a key that was not yet revoked is now. */
export async function revokeApiKeyRow(scope: Scope, id: string): Promise<boolean> {
  const result = await scope.trx
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: scope.userId })
    .where('tenant_id', '=', scope.tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** What a call with a key needs: the key, and its creator's membership in the tenant (or nulls). */
export type KeyForCall = {
  secret_hash: Buffer;
  scopes: string[];
  ip_allowlist: string[];
  rate_limit_per_minute: number;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
  role: Role | null;
  team_id: string | null;
  disabled_at: Date | null;
};

/**
 * The statement that opens a call through a key (sent with BEGIN and the tenant's scope in one
 * round trip, `CrmDatabase.withTenantFirst`): the key and its creator's membership and user
 * (RLS shows no other tenant's key), and the transaction then acts as the creator
 * (`app.user_id`, for the RLS policies that read the user). The caller must check the secret,
 * revocation and expiry before it trusts or returns anything: the user was set before that
 * check, and a refused call rolls back.
 */
export function keyForCallQuery(tenantId: string, keyId: string): CompiledQuery<KeyForCall> {
  return CompiledQuery.raw(
    `select set_config('app.user_id', k.created_by::text, true) as scope_user_id,
       k.secret_hash, k.scopes, k.ip_allowlist, k.rate_limit_per_minute, k.expires_at, k.revoked_at,
       k.last_used_at, k.created_by, m.role, m.team_id, u.disabled_at
     from api_keys k
     left join memberships m on m.tenant_id = k.tenant_id and m.user_id = k.created_by
     left join users u on u.id = k.created_by
     where k.tenant_id = $1 and k.id = $2`,
    [tenantId, keyId],
  );
}

/** Records a use (at most once a minute per key, so a busy key does not write on every call); true when it did. */
export async function touchApiKey(
  trx: Transaction<Database>,
  tenantId: string,
  keyId: string,
  ip: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('api_keys')
    .set({ last_used_at: sql<Date>`now()`, last_used_ip: ip.slice(0, 64) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', keyId)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
