/*
 * How an assignment rule spreads a batch of records over its members (分配规则): pure, so the
 * same arithmetic serves a batch of 10,000 imported leads, one lead from a web form, and the
 * preview of who the next one would go to.
 */

/**
 * Round robin (轮流分配): members in their order, starting after the one who got the last
 * record (`cursor`; from the first when it is null or no longer a member). Returns who gets
 * each of `count` records, in order, and where the turn stands afterwards.
 */
export function roundRobin(
  members: readonly string[],
  cursor: string | null,
  count: number,
): { picks: string[]; cursor: string | null } {
  if (members.length === 0 || count <= 0) return { picks: [], cursor };
  const start = cursor === null ? 0 : members.indexOf(cursor) + 1;
  const picks: string[] = [];
  for (let index = 0; index < count; index += 1) {
    picks.push(members[(start + index) % members.length] as string);
  }
  return { picks, cursor: picks[picks.length - 1] ?? cursor };
}

/**
 * By load (按负载分配): each record goes to the member with the fewest open records at that
 * moment (counting the ones just given), ties to the earlier member. Records are handed out
 * in order, so a batch fills the emptiest members first and then evens them out.
 */
export function byLoad(members: readonly { userId: string; load: number }[], count: number): string[] {
  if (members.length === 0 || count <= 0) return [];
  const loads = members.map((member) => member.load);
  const picks: string[] = [];
  for (let index = 0; index < count; index += 1) {
    let best = 0;
    for (let candidate = 1; candidate < loads.length; candidate += 1) {
      if ((loads[candidate] as number) < (loads[best] as number)) best = candidate;
    }
    loads[best] = (loads[best] as number) + 1;
    picks.push((members[best] as { userId: string }).userId);
  }
  return picks;
}

/** The days of a recycle rule (公海回收): the tenant's override of the key, the plugin's, then the defaults; null never. */
export type RecycleDays = number | null;

/**
 * Resolves the recycle days of each key (a lead grade or customer tier) and of the rest
 * (`*`): a tenant's override (a row, even one saying never) beats the plugin's rule for the
 * key, which beats the tenant's default, which beats the plugin's default; none: never.
 */
export function resolveRecycleDays(
  keys: readonly string[],
  plugin: { rules: ReadonlyMap<string, RecycleDays>; fallback: RecycleDays | undefined },
  tenant: ReadonlyMap<string, RecycleDays>,
): Map<string, RecycleDays> {
  const fallback = tenant.has('*') ? (tenant.get('*') ?? null) : (plugin.fallback ?? null);
  const resolved = new Map<string, RecycleDays>();
  for (const key of keys) {
    if (tenant.has(key)) resolved.set(key, tenant.get(key) ?? null);
    else if (plugin.rules.has(key)) resolved.set(key, plugin.rules.get(key) ?? null);
    else resolved.set(key, fallback);
  }
  resolved.set('*', fallback);
  return resolved;
}
