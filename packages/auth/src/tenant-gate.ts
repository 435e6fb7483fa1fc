import { availableParallelism } from 'node:os';

/**
 * SECURITY.md T5.9: how many requests of one tenant a process serves at once. A tenant at its
 * cap waits for one of its own requests to finish (first come, first served), so a tenant's
 * flood takes at most `maxInFlight` of the process's database connections and CPU however
 * many requests it sends; past `maxWaiting` waiting, or after waiting `maxWaitMs`, a request
 * is refused (429 TENANT_BUSY) before any work. Other tenants never wait on it.
 *
 * The tenant of a request is known before any work from the principal that sent it (a
 * session, an API key) once this process has served that principal (`remember`): the
 * principal's first request in a process is let through and teaches it. Bounded memory: the
 * least recently taught principals are forgotten first.
 */
/**
 * Half the machine's CPUs, at least one (1 on a 2-core machine): one tenant's requests in
 * progress may keep at most half of them busy, the rest serve the others. Measured on 2 cores
 * (docs/scaling.md): another tenant's p95 under a flood 1.28× its p95 alone with 1, 2.57× with
 * 2, 3.75× with 4; and the capped tenant's own pages, five members opening the customer list
 * at once, p95 1,085 ms with 1 against 1,283 ms uncapped (the same CPU work, in turn).
 */
export const DEFAULT_TENANT_MAX_IN_FLIGHT = Math.max(1, Math.floor(availableParallelism() / 2));
export const DEFAULT_TENANT_MAX_WAITING = 64;
export const DEFAULT_TENANT_MAX_WAIT_MS = 5000;

/** Principals (sessions, API keys) remembered per process for the tenant they acted in. */
const MAX_REMEMBERED_PRINCIPALS = 50_000;

export type TenantGateOptions = {
  /** Requests of one tenant served at once by this process (default half the CPUs, at least 1). */
  maxInFlight?: number;
  /** Requests of one tenant waiting for a slot in this process (default 64). */
  maxWaiting?: number;
  /** The longest a request waits for its slot (default 5 s). */
  maxWaitMs?: number;
};

type Waiter = { weight: number; admit: (release: () => void) => void; refuse: () => void };
type TenantLine = { inFlight: number; waiting: Waiter[] };

export class TenantGate {
  readonly maxInFlight: number;
  readonly maxWaiting: number;
  readonly maxWaitMs: number;
  readonly #lines = new Map<string, TenantLine>();
  readonly #principals = new Map<string, string>();

  constructor(options: TenantGateOptions = {}) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_TENANT_MAX_IN_FLIGHT);
    this.maxWaiting = Math.max(0, options.maxWaiting ?? DEFAULT_TENANT_MAX_WAITING);
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? DEFAULT_TENANT_MAX_WAIT_MS);
  }

  /** The tenant a principal (`session:<id>`, `key:<id>`) last acted in, as this process saw it. */
  tenantOf(principal: string): string | undefined {
    return this.#principals.get(principal);
  }

  /** Called once a principal's request was authenticated and served in `tenantId`. */
  remember(principal: string, tenantId: string): void {
    if (this.#principals.get(principal) === tenantId) return;
    this.#principals.delete(principal);
    if (this.#principals.size >= MAX_REMEMBERED_PRINCIPALS) {
      const oldest = this.#principals.keys().next().value;
      if (oldest !== undefined) this.#principals.delete(oldest);
    }
    this.#principals.set(principal, tenantId);
  }

  /** Requests of the tenant being served now in this process. */
  inFlight(tenantId: string): number {
    return this.#lines.get(tenantId)?.inFlight ?? 0;
  }

  /** Requests of the tenant waiting for a slot in this process. */
  waiting(tenantId: string): number {
    return this.#lines.get(tenantId)?.waiting.length ?? 0;
  }

  /**
   * Takes `weight` of the tenant's slots (a batch of calls weighs its count, at most the cap):
   * at once when free, else after the tenant's earlier waiters. Resolves with the function
   * that gives them back, or null when refused (too many waiting, or waited too long).
   */
  enter(tenantId: string, weight = 1): Promise<(() => void) | null> {
    const need = Math.min(Math.max(1, Math.trunc(weight)), this.maxInFlight);
    let line = this.#lines.get(tenantId);
    if (!line) {
      line = { inFlight: 0, waiting: [] };
      this.#lines.set(tenantId, line);
    }
    if (line.waiting.length === 0 && line.inFlight + need <= this.maxInFlight) {
      line.inFlight += need;
      return Promise.resolve(this.#releaser(tenantId, line, need));
    }
    if (line.waiting.length >= this.maxWaiting || this.maxWaitMs === 0) {
      this.#dropIfIdle(tenantId, line);
      return Promise.resolve(null);
    }
    const queued = line;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        weight: need,
        admit: (release) => {
          clearTimeout(timer);
          resolve(release);
        },
        refuse: () => resolve(null),
      };
      const timer = setTimeout(() => {
        const index = queued.waiting.indexOf(waiter);
        if (index >= 0) queued.waiting.splice(index, 1);
        waiter.refuse();
        // The head may fit now that a heavier waiter ahead of it left.
        this.#admitWaiting(tenantId, queued);
      }, this.maxWaitMs);
      queued.waiting.push(waiter);
    });
  }

  #releaser(tenantId: string, line: TenantLine, weight: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      line.inFlight -= weight;
      this.#admitWaiting(tenantId, line);
    };
  }

  #admitWaiting(tenantId: string, line: TenantLine): void {
    while (line.waiting.length > 0) {
      const next = line.waiting[0] as Waiter;
      if (line.inFlight + next.weight > this.maxInFlight) return;
      line.waiting.shift();
      line.inFlight += next.weight;
      next.admit(this.#releaser(tenantId, line, next.weight));
    }
    this.#dropIfIdle(tenantId, line);
  }

  #dropIfIdle(tenantId: string, line: TenantLine): void {
    if (line.inFlight === 0 && line.waiting.length === 0 && this.#lines.get(tenantId) === line)
      this.#lines.delete(tenantId);
  }
}
