import type { ApiDependencies } from '../context';
import { type PublicLink, verifyPublicLink } from '../lead-events/public-links';
import { jobScope, type Scope } from '../scope';
import { type PageLocale, renderSurveyMessage, renderSurveyPage } from './survey-page';
import { type PublicInvitation, type PublicInvitationRow, publicInvitationQuery } from './surveys.repository';
import {
  cachedPluginSurveys,
  peekPluginSurveys,
  readAnswers,
  recordResponse,
  type SurveyForm,
  tenantForm,
} from './surveys.service';

/*
 * The public survey door (no session): GET and POST /s/:token. The token is signed under the
 * master key and names the tenant and the invitation; a forged, tampered, expired or unknown
 * one answers the same 404 page. An invitation takes one response: a second submission (a
 * replay) records nothing and says it was answered. The server adds the rate limits.
 */
export type SurveyDoorDependencies = Pick<ApiDependencies, 'database' | 'plugins'>;

export type SurveyPageAnswer = { status: number; html: string };

/** The page's language: `?lang=`, else the browser's, Chinese first. */
export function pageLocaleOf(lang: string | undefined, acceptLanguage: string | undefined): PageLocale {
  if (lang === 'en' || lang === 'zh-CN') return lang;
  const accepted = (acceptLanguage ?? '').toLowerCase();
  if (!accepted) return 'zh-CN';
  const zh = accepted.indexOf('zh');
  const en = accepted.indexOf('en');
  return en >= 0 && (zh < 0 || en < zh) ? 'en' : 'zh-CN';
}

type Loaded = { link: PublicLink; invitation: PublicInvitation; form: SurveyForm };

/**
 * The invitation and its survey from the statement sent with the transaction's opening
 * (`publicInvitationQuery`); the plugin's survey compiled once per plugin, tenant and
 * settings version. Undefined for an unknown or expired invitation or a survey gone.
 */
async function surveyOf(
  compile: (known: { profileId: string; settingsVersion: number | null }) => Promise<SurveyForm[]>,
  dependencies: SurveyDoorDependencies,
  link: PublicLink,
  row: PublicInvitationRow | undefined,
  now: Date,
): Promise<Loaded | undefined> {
  if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
  const {
    profile_id: profileId,
    settings_version: settingsVersion,
    survey_row: surveyRow,
    ...invitation
  } = row;
  const known = { profileId, settingsVersion };
  const plugin = peekPluginSurveys(dependencies.plugins, link.tenantId, known) ?? (await compile(known));
  const form =
    plugin.find((survey) => survey.key === invitation.survey_key) ??
    (surveyRow ? tenantForm(surveyRow) : undefined);
  return form ? { link, invitation, form } : undefined;
}

/**
 * Opens the tenant's transaction with the invitation's read in the same round trip, and runs
 * `fn` with what it found (undefined: the 404 page) in that transaction (the submission's).
 */
function withInvitation<T>(
  dependencies: SurveyDoorDependencies,
  link: PublicLink,
  now: Date,
  options: { locale: PageLocale },
  fn: (scope: Scope, loaded: Loaded | undefined) => Promise<T>,
): Promise<T> {
  const { database } = dependencies;
  return database.withTenantFirst(
    link.tenantId,
    publicInvitationQuery(database.db, link.tenantId, link.subjectId),
    async (trx, rows) => {
      const scope = jobScope(trx, link.tenantId, { locale: options.locale });
      const compile = (known: { profileId: string; settingsVersion: number | null }) =>
        cachedPluginSurveys(scope, dependencies.plugins, known);
      return fn(scope, await surveyOf(compile, dependencies, link, rows[0], now));
    },
    // Every statement here finds its rows by key: planned once per connection, not per request.
    { genericPlans: true },
  );
}

/**
 * What the customer sees: a plugin survey's description is written for the tenant's staff
 * (who gets it, what a low score opens) and stays off the page, which greets instead; a
 * tenant's survey shows the description its designer wrote for the customer.
 */
function pageSurvey(form: SurveyForm) {
  return {
    title: form.title,
    description: form.source === 'tenant' ? form.description : null,
    questions: form.questions,
  };
}

/**
 * The page of a survey before any answer is the same for every link but for the link's path:
 * rendered once per survey form (the plugin's compiled forms are kept, see
 * `cachedPluginSurveys`) and language, with a mark where the path goes (U+0000: no text of a
 * survey can hold it), then only joined around each link's path.
 */
const PATH_MARK = '\u0000path\u0000';
const blankPages = new WeakMap<SurveyForm, Partial<Record<PageLocale, string[]>>>();

function blankPage(form: SurveyForm, locale: PageLocale, action: string): string {
  let byLocale = blankPages.get(form);
  if (!byLocale) {
    byLocale = {};
    blankPages.set(form, byLocale);
  }
  let parts = byLocale[locale];
  if (!parts) {
    parts = renderSurveyPage(pageSurvey(form), { locale, action: PATH_MARK }).split(PATH_MARK);
    byLocale[locale] = parts;
  }
  // The path of a verified token (base64url): nothing in it to escape.
  return parts.join(action);
}

/**
 * The page: one write and one answer (BEGIN, the scope, the invitation's read and COMMIT
 * together), the page from memory but for the link's path.
 */
export async function viewSurvey(
  dependencies: SurveyDoorDependencies,
  token: string,
  locale: PageLocale,
  now: Date = new Date(),
): Promise<SurveyPageAnswer> {
  const link = verifyPublicLink(token, 'survey', null, now);
  if (!link) return { status: 404, html: renderSurveyMessage('missing', locale) };
  const { database } = dependencies;
  const rows = await database.readInTenant(
    link.tenantId,
    publicInvitationQuery(database.db, link.tenantId, link.subjectId),
    { genericPlans: true },
  );
  // A survey not compiled yet is compiled in a transaction of its own (then kept).
  const compile = (known: { profileId: string; settingsVersion: number | null }) =>
    database.withTenant(link.tenantId, (trx) =>
      cachedPluginSurveys(jobScope(trx, link.tenantId, { locale }), dependencies.plugins, known),
    );
  const loaded = await surveyOf(compile, dependencies, link, rows[0], now);
  if (!loaded) return { status: 404, html: renderSurveyMessage('missing', locale) };
  if (loaded.invitation.status === 'responded') {
    return { status: 200, html: renderSurveyMessage('answered', locale, loaded.form.title[locale]) };
  }
  return { status: 200, html: blankPage(loaded.form, locale, `/s/${token}`) };
}

/**
 * The answers: the invitation read, the answers checked and the response recorded in one
 * transaction (all or nothing), the read sent with its opening.
 */
export async function submitSurvey(
  dependencies: SurveyDoorDependencies,
  token: string,
  raw: Record<string, string | string[] | undefined>,
  locale: PageLocale,
  now: Date = new Date(),
): Promise<SurveyPageAnswer> {
  const link = verifyPublicLink(token, 'survey', null, now);
  if (!link) return { status: 404, html: renderSurveyMessage('missing', locale) };
  return withInvitation(dependencies, link, now, { locale }, async (scope, loaded) => {
    if (!loaded) return { status: 404, html: renderSurveyMessage('missing', locale) };
    const { invitation, form } = loaded;
    const title = form.title[locale];
    if (invitation.status === 'responded')
      return { status: 409, html: renderSurveyMessage('answered', locale, title) };
    const { answers, problems } = readAnswers(form.questions, raw);
    if (problems.length > 0) {
      const errors = Object.fromEntries(
        problems.map((problem) => [problem.question, problem.message[locale]]),
      );
      return {
        status: 422,
        html: renderSurveyPage(pageSurvey(form), { locale, action: `/s/${token}`, values: raw, errors }),
      };
    }
    const recorded = await recordResponse(scope, form, invitation, answers, locale, now);
    if (!recorded) return { status: 409, html: renderSurveyMessage('answered', locale, title) };
    return { status: 200, html: renderSurveyMessage('thanks', locale, title) };
  });
}
