import { describe, expect, it } from 'vitest';
import { TenantGate } from './tenant-gate';

const A = 'tenant-a';
const B = 'tenant-b';

describe('TenantGate: requests of one tenant at once', () => {
  it('serves up to the cap at once, then first come first served as slots are given back', async () => {
    const gate = new TenantGate({ maxInFlight: 2, maxWaiting: 5, maxWaitMs: 60_000 });
    const first = await gate.enter(A);
    const second = await gate.enter(A);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(gate.inFlight(A)).toBe(2);
    const order: string[] = [];
    const third = gate.enter(A).then((release) => {
      order.push('third');
      return release;
    });
    const fourth = gate.enter(A).then((release) => {
      order.push('fourth');
      return release;
    });
    expect(gate.waiting(A)).toBe(2);
    // Another tenant never waits on A.
    const other = await gate.enter(B);
    expect(other).not.toBeNull();
    first?.();
    (await third)?.();
    second?.();
    (await fourth)?.();
    expect(order).toEqual(['third', 'fourth']);
    other?.();
    expect(gate.inFlight(A)).toBe(0);
    expect(gate.waiting(A)).toBe(0);
  });

  it('refuses past the waiting line, and a request that waited too long', async () => {
    const gate = new TenantGate({ maxInFlight: 1, maxWaiting: 1, maxWaitMs: 20 });
    const held = await gate.enter(A);
    const waiting = gate.enter(A);
    expect(await gate.enter(A)).toBeNull();
    expect(await waiting).toBeNull();
    expect(gate.waiting(A)).toBe(0);
    held?.();
    const again = await gate.enter(A);
    expect(again).not.toBeNull();
    again?.();
  });

  it('weighs a batch by its calls, at most the cap; giving back twice gives back once', async () => {
    const gate = new TenantGate({ maxInFlight: 4, maxWaiting: 0 });
    const batch = await gate.enter(A, 3);
    expect(gate.inFlight(A)).toBe(3);
    expect(await gate.enter(A, 2)).toBeNull();
    batch?.();
    batch?.();
    expect(gate.inFlight(A)).toBe(0);
    const huge = await gate.enter(A, 50);
    expect(gate.inFlight(A)).toBe(4);
    huge?.();
  });

  it('remembers the tenant of each principal it was told of', () => {
    const gate = new TenantGate();
    expect(gate.tenantOf('session:one')).toBeUndefined();
    gate.remember('session:one', A);
    gate.remember('key:two', B);
    expect(gate.tenantOf('session:one')).toBe(A);
    gate.remember('session:one', B);
    expect(gate.tenantOf('session:one')).toBe(B);
  });
});
