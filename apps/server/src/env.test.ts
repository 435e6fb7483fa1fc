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
});
