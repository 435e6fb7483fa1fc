import { describe, expect, it } from 'vitest';
import { loadEnv } from './env';

describe('configuration', () => {
  it('defaults to the embedded database with no pooler', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATABASE_POOLER).toBe('none');
  });

  it('needs a direct owner URL for migrations when requests go through PgBouncer', () => {
    expect(() =>
      loadEnv({ DATABASE_URL: 'postgres://crm_app@pgbouncer:6432/crm', DATABASE_POOLER: 'pgbouncer' }),
    ).toThrow(/DATABASE_OWNER_URL: required with DATABASE_POOLER=pgbouncer/);
    const env = loadEnv({
      DATABASE_URL: 'postgres://crm_app@pgbouncer:6432/crm',
      DATABASE_OWNER_URL: 'postgres://crm_owner@db:5432/crm',
      DATABASE_POOLER: 'pgbouncer',
    });
    expect(env.DATABASE_POOLER).toBe('pgbouncer');
    expect(() => loadEnv({ DATABASE_POOLER: 'pgpool' })).toThrow(/DATABASE_POOLER/);
  });

  it('takes a read replica only beside a PostgreSQL server', () => {
    expect(() => loadEnv({ DATABASE_REPLICA_URL: 'postgres://crm_app@replica:5432/crm' })).toThrow(
      /DATABASE_REPLICA_URL: needs DATABASE_URL/,
    );
    const env = loadEnv({
      DATABASE_URL: 'postgres://crm_app@db:5432/crm',
      DATABASE_REPLICA_URL: 'postgres://crm_app@replica:5432/crm',
    });
    expect(env.DATABASE_REPLICA_URL).toBe('postgres://crm_app@replica:5432/crm');
    expect(env.DATABASE_REPLICA_WAIT_MS).toBe(5000);
  });
});
