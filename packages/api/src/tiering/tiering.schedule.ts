/*
 * When the tiering jobs run (pure: no SQL). Beijing time has no daylight saving, so a daily
 * time there is a fixed UTC time.
 */

/** Quarterly, on the first day of January, April, July and October at 04:00 Beijing time. */
export const TIERING_SCHEDULE = { cron: '0 4 1 1,4,7,10 *', tz: 'Asia/Shanghai' } as const;

/**
 * Nightly at 03:30 Beijing time: tenants with customers waiting (待重算) are re-tiered whole.
 * Keep `nextPendingRunAt` in step with it.
 */
export const TIERING_PENDING_SCHEDULE = { cron: '30 3 * * *', tz: 'Asia/Shanghai' } as const;

const PENDING_RUN_UTC_MINUTES = (3 - 8 + 24) * 60 + 30; // 03:30 +08:00 = 19:30 UTC

/** The next nightly run of `TIERING_PENDING_SCHEDULE` after `now`. */
export function nextPendingRunAt(now: Date = new Date()): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const today = day + PENDING_RUN_UTC_MINUTES * 60_000;
  return new Date(today > now.getTime() ? today : today + 86_400_000);
}

/** Touches within this many seconds of the first are re-tiered by one run (the tenant's job waits this long). */
export const TIER_TOUCH_DEBOUNCE_SECONDS = 3;

/**
 * Tenants up to this many active customers whose model ranks customers against each other
 * (percentile, min–max, RFM quantiles) are re-ranked whole when a customer is touched; larger
 * ones mark the touched customers 待重算 until the nightly run.
 */
export const TIER_RERANK_LIMIT = 50_000;
