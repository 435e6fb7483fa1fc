import { listProcedures } from '@crm/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type SeededTenant, seedTenant, signedInClient, type TestServer } from './helpers';
import { PROCEDURE_CASES } from './procedure-cases';

/**
 * SECURITY.md T1.4, the unique-constraint oracle: for every mutation of the router, tenant V
 * stores a valid input first; then tenant A sends its own valid input carrying V's values
 * (every text that is not an id: names, numbers, emails, phones, keys). A must never be told
 * its value is taken or a duplicate because of V's row — that answer would say V holds it.
 * Customers and leads get the identities duplicate checks look at (phone, email, national
 * id, blind index) explicitly too.
 */
let server: TestServer;
let victim: SeededTenant;
let actor: SeededTenant;

beforeAll(async () => {
  server = await createTestServer();
  victim = await seedTenant(server.database, '唯一值甲方');
  actor = await seedTenant(server.database, '唯一值乙方');
});
afterAll(() => server.destroy());

/** Answers that would tell A someone else holds the value. */
const CONFLICT_CODE = /TAKEN|DUPLICATE|CONFLICT|ALREADY_MEMBER|IN_USE/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Path = (string | number)[];

function textLeaves(value: unknown, path: Path = []): { path: Path; value: string }[] {
  if (typeof value === 'string') return UUID.test(value) ? [] : [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => textLeaves(item, [...path, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => textLeaves(item, [...path, key]));
  return [];
}

/** `into` with every text of `from` at the same place, where `into` has a text there too. */
function transplanted(into: unknown, from: unknown): unknown {
  const copy = structuredClone(into);
  for (const leaf of textLeaves(from)) {
    let holder = copy as Record<string | number, unknown> | null;
    for (const step of leaf.path.slice(0, -1))
      holder = (holder?.[step] ?? null) as Record<string | number, unknown> | null;
    const last = leaf.path.at(-1);
    if (
      holder &&
      last !== undefined &&
      typeof holder[last] === 'string' &&
      !UUID.test(holder[last] as string)
    )
      holder[last] = leaf.value;
  }
  return copy;
}

describe('unique values never conflict across tenants (T1.4)', () => {
  it("every mutation: A's input with V's stored values is never refused as taken or duplicate", async () => {
    const mutations = listProcedures().filter((procedure) => procedure.type === 'mutation');
    const conflicts: string[] = [];
    let compared = 0;
    for (const procedure of mutations) {
      const procedureCase = PROCEDURE_CASES[procedure.path];
      if (!procedureCase) throw new Error(`no case for ${procedure.path}`);
      const victimInput = await procedureCase.input({
        server,
        tenant: victim,
        role: 'owner',
        actor: victim.users.owner,
      });
      if (textLeaves(victimInput).length === 0) continue;
      const victimClient = await signedInClient(server, victim.users.owner.id, victim.tenantId);
      const stored = await victimClient.call(procedure.path, victimInput);
      if (!stored.ok) continue;
      const actorInput = await procedureCase.input({
        server,
        tenant: actor,
        role: 'owner',
        actor: actor.users.owner,
      });
      const client = await signedInClient(server, actor.users.owner.id, actor.tenantId);
      const result = await client.call(procedure.path, transplanted(actorInput, victimInput));
      compared += 1;
      const code = result.error?.appCode ?? '';
      if (CONFLICT_CODE.test(code)) conflicts.push(`${procedure.path}: ${code}`);
    }
    console.log(
      `T1.4 unique oracle: mutations=${mutations.length} compared=${compared} conflicts_caused_by_other_tenant=${conflicts.length}`,
    );
    expect(conflicts).toEqual([]);
    expect(compared).toBeGreaterThan(30);
  });

  it("a customer and a lead with V's phone, email, national id and name are created in A without a duplicate", async () => {
    const serial = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
    const identity = {
      name: `上海同名贸易有限公司${serial}`,
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      email: `same.person.${serial}@example.com`,
      nationalId: withCheckDigit(`11010519880312${serial}`),
    };
    const victimClient = await signedInClient(server, victim.users.owner.id, victim.tenantId);
    const client = await signedInClient(server, actor.users.owner.id, actor.tenantId);
    for (const input of [
      { name: identity.name, kind: 'company', phone: identity.phone, email: identity.email },
      { name: `张三${serial}`, kind: 'person', nationalId: identity.nationalId },
    ]) {
      const stored = await victimClient.call('customers.create', input);
      expect(stored.error, JSON.stringify(input)).toBeNull();
      const created = await client.call('customers.create', input);
      expect(created.error, JSON.stringify(input)).toBeNull();
      // …and A's own second one is the duplicate, so the check is on.
      const again = await client.call('customers.create', input);
      expect(again.error?.appCode).toMatch(/DUPLICATE/);
    }
    const lead = {
      personName: '李四',
      companyName: '同名线索公司',
      phone: '13712345678',
      intent: 'price',
      needs: [],
    };
    expect((await victimClient.call('leads.create', lead)).error).toBeNull();
    expect((await client.call('leads.create', lead)).error).toBeNull();
  });
});

/** A mainland resident ID number: 17 digits and their ISO 7064 MOD 11-2 check character. */
function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}
