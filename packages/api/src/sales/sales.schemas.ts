import { dateInput } from '@crm/domain';
import { z } from 'zod';

/** A period (from inclusive, to exclusive, days in the tenant's time zone) and whose figures. */
export const salesMetricsInput = z
  .strictObject({
    from: dateInput,
    to: dateInput,
    /** One owner's leads and deals (within what the member sees). */
    ownerUserId: z.uuid().optional(),
    /** The leads and deals of a team (its members' and the team's unassigned ones). */
    teamId: z.uuid().optional(),
  })
  .refine((input) => input.from < input.to, { path: ['to'], error: 'must be after from' })
  .refine((input) => Date.parse(input.to) - Date.parse(input.from) <= 3 * 366 * 86_400_000, {
    path: ['to'],
    error: 'at most three years',
  });
export type SalesMetricsInput = z.infer<typeof salesMetricsInput>;

/** A share: how many were counted, how many made it, the percentage (one decimal; null over none). */
const conversion = z.object({
  /** A source, grade, owner id or month ('2027-03'); null: none (no grade, unassigned). */
  key: z.string().nullable(),
  /** An owner's name. */
  label: z.string().nullable(),
  leads: z.number().int(),
  converted: z.number().int(),
  rate: z.number().nullable(),
});
export type ConversionRow = z.infer<typeof conversion>;

const firstContact = z.object({
  grade: z.string().nullable(),
  /** The grade's follow-up limit in business hours. */
  slaHours: z.number().nullable(),
  leads: z.number().int(),
  contacted: z.number().int(),
  withinSla: z.number().int(),
  /** Within the limit, of all the grade's leads of the period (a lead not contacted yet is not within). */
  withinSlaRate: z.number().nullable(),
  breached: z.number().int(),
  /** Business minutes from creation to the first logged contact, over the contacted leads. */
  averageMinutes: z.number().nullable(),
  medianMinutes: z.number().nullable(),
});
export type FirstContactOutput = z.infer<typeof firstContact>;

const money = z.number();

export const salesMetricsOutput = z.object({
  from: z.string(),
  to: z.string(),
  /** The tenant's currency: every amount is in it (deals in another currency are counted, not summed). */
  currency: z.string(),
  computedAt: z.string(),
  leadConversion: z.object({
    total: conversion,
    /** The tenant's top grade (A): its leads' conversion. */
    highValue: conversion.nullable(),
    bySource: z.array(conversion),
    byGrade: z.array(conversion),
    byOwner: z.array(conversion),
    byMonth: z.array(conversion),
  }),
  firstContact: z.object({ total: firstContact, byGrade: z.array(firstContact) }),
  /** Deals closed in the period. */
  deals: z.object({
    won: z.number().int(),
    lost: z.number().int(),
    /** Won of won and lost, percent. */
    winRate: z.number().nullable(),
    wonAmount: money,
    /** The average won deal (平均成交额), over the won deals in the tenant's currency. */
    averageWonAmount: money.nullable(),
    /** Days from the lead's creation (the deal's, without a lead) to the win: mean and median. */
    salesCycleDays: z.number().nullable(),
    salesCycleMedianDays: z.number().nullable(),
    byMonth: z.array(
      z.object({
        key: z.string(),
        won: z.number().int(),
        lost: z.number().int(),
        winRate: z.number().nullable(),
        wonAmount: money,
        salesCycleDays: z.number().nullable(),
      }),
    ),
  }),
  /** The open pipeline now, in the pipeline's order of open stages. */
  pipeline: z.array(
    z.object({ stage: z.string(), deals: z.number().int(), amount: money, weightedAmount: money }),
  ),
  /** Of the deals created in the period: how many reached each open stage, and went on to the next (or won). */
  stageConversion: z.array(
    z.object({
      stage: z.string(),
      reached: z.number().int(),
      movedOn: z.number().int(),
      rate: z.number().nullable(),
    }),
  ),
  lostReasons: z.array(z.object({ reason: z.string(), deals: z.number().int(), amount: money })),
  /** Per owner: leads of the period and their conversion, deals closed, won amount, open pipeline. */
  reps: z.array(
    z.object({
      userId: z.string().nullable(),
      name: z.string().nullable(),
      leads: z.number().int(),
      converted: z.number().int(),
      conversionRate: z.number().nullable(),
      won: z.number().int(),
      lost: z.number().int(),
      winRate: z.number().nullable(),
      wonAmount: money,
      openDeals: z.number().int(),
      openAmount: money,
    }),
  ),
});
export type SalesMetricsOutput = z.infer<typeof salesMetricsOutput>;
