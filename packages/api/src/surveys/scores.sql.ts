import { CSAT_SATISFIED_FROM } from '@crm/domain';
import { sql } from 'kysely';

/**
 * The NPS and CSAT counts of scored answers (`survey_responses` as `r`), written once: the
 * surveys' results and the dashboards aggregate them, and compute NPS with the domain's
 * `netPromoterScore` and CSAT with `percentOf(satisfied, csat_count)`, so both pages show the
 * same figure. Passives are the NPS answers neither promoters nor detractors: PostgreSQL
 * computes each distinct aggregate once, so that costs no count of its own.
 */
export const SCORE_COUNTS = sql`count(*) filter (where r.survey_kind = 'nps' and r.score >= 9)::int as promoters,
      (count(*) filter (where r.survey_kind = 'nps') - count(*) filter (where r.survey_kind = 'nps' and r.score >= 9)
        - count(*) filter (where r.survey_kind = 'nps' and r.score < 7))::int as passives,
      count(*) filter (where r.survey_kind = 'nps' and r.score < 7)::int as detractors,
      count(*) filter (where r.survey_kind = 'nps')::int as nps_count,
      count(*) filter (where r.survey_kind = 'csat')::int as csat_count,
      count(*) filter (where r.survey_kind = 'csat' and r.score_pct >= ${sql.lit(CSAT_SATISFIED_FROM)})::int as satisfied`;

/** The answers the counts read: NPS and CSAT, scored. */
export const SCORED_ANSWERS = sql`r.survey_kind in ('nps', 'csat') and r.score is not null`;
