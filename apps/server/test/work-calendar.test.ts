import { jobScope, loadWorkCalendar } from '@crm/api';
import { sql } from '@crm/db';
import { addWorkingDays, isWorkingDay, nextWorkingDay, shiftDay, statutoryCalendarDays } from '@crm/domain';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestServer,
  type SeededTenant,
  seedTenant,
  signedInClient,
  type TestServer,
  type TrpcClient,
} from './helpers';

/**
 * The work calendar per tenant: settings and overrides through the procedures, the statutory
 * schedule synced into the database, and the SQL twins (crm_is_working_day …) agreeing with
 * @crm/domain's functions day by day.
 */
let server: TestServer;
let tenant: SeededTenant;
let other: SeededTenant;
let owner: TrpcClient;

async function ok(client: TrpcClient, path: string, input?: unknown) {
  const result = await client.call(path, input);
  expect(result.error, `${path}: ${JSON.stringify(result.error)}`).toBeNull();
  return result.data as Record<string, unknown>;
}

/** Runs a statement with full privileges (the superuser PGlite session, or the test server's administrator). */
async function asAdministrator(statement: string): Promise<void> {
  const adminUrl = server.testDatabase.adminUrl;
  if (!adminUrl) {
    await sql.raw(statement).execute(server.database.db);
    return;
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  server = await createTestServer();
  tenant = await seedTenant(server.database, '日历企业');
  other = await seedTenant(server.database, '另一家企业');
  owner = await signedInClient(server, tenant.users.owner.id, tenant.tenantId);
});
afterAll(() => server.destroy());

describe('work calendar', () => {
  it('starts with the defaults and the statutory days of the year', async () => {
    const calendar = await ok(owner, 'calendar.get', { year: 2026 });
    expect(calendar.settings).toEqual({
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '09:00', end: '18:00', breakStart: '12:00', breakEnd: '13:30' },
      workingWeekdays: [1, 2, 3, 4, 5],
      slaMode: 'business',
    });
    expect(calendar.overrides).toEqual([]);
    const statutory = calendar.statutory as { day: string; working: boolean; name: string }[];
    expect(statutory).toContainEqual({
      day: '2026-10-10',
      working: true,
      name: '国庆节',
      nameEn: 'National Day',
    });
    expect(statutory.filter((day) => day.name === '春节' && !day.working).map((day) => day.day)).toContain(
      '2026-02-17',
    );
    expect(statutory.every((day) => day.day.startsWith('2026-'))).toBe(true);
  });

  it('saves settings and company days, which loadWorkCalendar then reads', async () => {
    const settings = {
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '08:30', end: '17:30', breakStart: null, breakEnd: null },
      workingWeekdays: [6, 1, 2, 3, 4, 5],
      slaMode: 'calendar',
    };
    expect(await ok(owner, 'calendar.update', settings)).toEqual({
      ...settings,
      workingWeekdays: [1, 2, 3, 4, 5, 6],
    });
    await ok(owner, 'calendar.setOverride', { day: '2026-11-11', working: false, name: '公司年会' });
    await ok(owner, 'calendar.setOverride', { day: '2026-11-11', working: false, name: '公司年会（全天）' });
    await ok(owner, 'calendar.setOverride', { day: '2026-11-15', working: true, name: '盘点日' });
    await ok(owner, 'calendar.setOverride', { day: '2027-01-04', working: false, name: '年初休整' });

    const calendar = await ok(owner, 'calendar.get', { year: 2026 });
    expect(calendar.settings).toMatchObject({ workingWeekdays: [1, 2, 3, 4, 5, 6], slaMode: 'calendar' });
    expect(calendar.overrides).toEqual([
      { day: '2026-11-11', working: false, name: '公司年会（全天）' },
      { day: '2026-11-15', working: true, name: '盘点日' },
    ]);

    const loaded = await server.database.withTenant(tenant.tenantId, (trx) =>
      loadWorkCalendar(jobScope(trx, tenant.tenantId)),
    );
    expect(loaded.workingHours).toEqual(settings.workingHours);
    expect(isWorkingDay(loaded, '2026-11-11')).toBe(false);
    expect(isWorkingDay(loaded, '2026-11-14')).toBe(true); // a Saturday in a Monday–Saturday week
    expect(isWorkingDay(loaded, '2026-11-15')).toBe(true);
    expect(nextWorkingDay(loaded, '2027-01-03')).toBe('2027-01-05');

    await ok(owner, 'calendar.removeOverride', { day: '2027-01-04' });
    const missing = await owner.call('calendar.removeOverride', { day: '2027-01-04' });
    expect(missing.error?.appCode).toBe('CALENDAR_OVERRIDE_NOT_FOUND');
  });

  it('refuses settings that make no sense and changes by members without calendar.manage', async () => {
    const bad = await owner.call('calendar.update', {
      timeZone: 'Asia/Shanghai',
      workingHours: { start: '09:00', end: '18:00', breakStart: '19:00', breakEnd: '20:00' },
      workingWeekdays: [1, 2, 3, 4, 5],
      slaMode: 'business',
    });
    expect(bad.error?.appCode).toBe('INVALID_INPUT');
    const rep = await signedInClient(server, tenant.users.sales_rep.id, tenant.tenantId);
    expect(
      (await rep.call('calendar.setOverride', { day: '2026-12-01', working: false, name: '假' })).error
        ?.appCode,
    ).toBe('FORBIDDEN');
    await ok(rep, 'calendar.get', { year: 2026 });
  });

  it('keeps the statutory schedule in the database, read-only for the app, and re-syncs it', async () => {
    const count = async () =>
      Number(
        (
          await server.database.withoutTenant((db) =>
            db
              .selectFrom('statutory_calendar_days')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow(),
          )
        ).n,
      );
    expect(await count()).toBe(statutoryCalendarDays().length);
    await expect(
      server.database.withTenant(tenant.tenantId, (trx) =>
        trx
          .insertInto('statutory_calendar_days')
          .values({ day: '2031-01-01', working: false, name: '假', name_en: 'x' })
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);

    // A withdrawn day, a changed day and a stray one: the next start puts the schedule right.
    await asAdministrator(`delete from statutory_calendar_days where day = '2026-10-10'`);
    await asAdministrator(`update statutory_calendar_days set working = true where day = '2026-10-01'`);
    await asAdministrator(`insert into statutory_calendar_days values ('2031-01-01', false, '假', 'x')`);
    await server.database.migrate();
    await server.database.migrate();
    expect(await count()).toBe(statutoryCalendarDays().length);
    const rows = await server.database.withoutTenant((db) =>
      db
        .selectFrom('statutory_calendar_days')
        .select(['day', 'working', 'name'])
        .where('day', 'in', ['2026-10-01', '2026-10-10', '2031-01-01'])
        .orderBy('day')
        .execute(),
    );
    expect(rows).toEqual([
      { day: '2026-10-01', working: false, name: '国庆节' },
      { day: '2026-10-10', working: true, name: '国庆节' },
    ]);
  });

  it('the SQL twins agree with @crm/domain on every day of 2025–2027, overrides included', async () => {
    await ok(owner, 'calendar.setOverride', { day: '2026-10-10', working: false, name: '调休改休息' });
    await ok(owner, 'calendar.setOverride', { day: '2027-02-08', working: false, name: '春节（公司）' });
    await ok(owner, 'calendar.setOverride', { day: '2025-10-05', working: true, name: '值班' });
    const calendar = await server.database.withTenant(tenant.tenantId, (trx) =>
      loadWorkCalendar(jobScope(trx, tenant.tenantId)),
    );
    const rows = await server.database.withTenant(tenant.tenantId, async (trx) => {
      const { rows } = await sql<{
        day: string;
        working: boolean;
        is_working: boolean;
        next: string;
        plus3: string;
        minus2: string;
      }>`select d.day::text as day, d.working, crm_is_working_day(d.day) as is_working,
                crm_next_working_day(d.day)::text as next,
                crm_add_working_days(d.day, 3)::text as plus3,
                crm_add_working_days(d.day, -2)::text as minus2
         from crm_working_days('2025-01-01', '2027-12-31') d order by d.day`.execute(trx);
      return rows;
    });
    expect(rows).toHaveLength(365 * 3);
    const mismatches: string[] = [];
    let day = '2025-01-01';
    for (const row of rows) {
      const expected = {
        day,
        working: isWorkingDay(calendar, day),
        is_working: isWorkingDay(calendar, day),
        next: nextWorkingDay(calendar, day),
        plus3: addWorkingDays(calendar, day, 3),
        minus2: addWorkingDays(calendar, day, -2),
      };
      if (JSON.stringify(row) !== JSON.stringify(expected))
        mismatches.push(`${JSON.stringify(row)} ≠ ${JSON.stringify(expected)}`);
      day = shiftDay(day, 1);
    }
    expect(mismatches).toEqual([]);
    expect(rows.find((row) => row.day === '2026-10-10')?.working).toBe(false);

    // The other tenant sees the statutory calendar and its own (default) weekdays only.
    const elsewhere = await server.database.withTenant(other.tenantId, async (trx) => {
      const { rows } = await sql<{ a: boolean; b: boolean; c: string }>`
        select crm_is_working_day('2026-10-10') as a, crm_is_working_day('2026-11-14') as b,
               crm_next_working_day('2026-10-01')::text as c`.execute(trx);
      return rows[0];
    });
    expect(elsewhere).toEqual({ a: true, b: false, c: '2026-10-08' });
  });
});
