import type { ApiDependencies } from '../context';
import { verifyPublicLink } from '../lead-events/public-links';
import { jobScope } from '../scope';
import { type PageLocale, renderSurveyMessage, renderSurveyPage } from './survey-page';
import { selectPublicInvitation } from './surveys.repository';
import { readAnswers, recordResponse, type SurveyForm, surveyFormOf } from './surveys.service';

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

async function load(dependencies: SurveyDoorDependencies, token: string, now: Date) {
  const link = verifyPublicLink(token, 'survey', null, now);
  if (!link) return null;
  return dependencies.database.withTenant(link.tenantId, async (trx) => {
    const scope = jobScope(trx, link.tenantId);
    const invitation = await selectPublicInvitation(scope, link.subjectId);
    if (!invitation || invitation.expires_at.getTime() <= now.getTime()) return null;
    const form = await surveyFormOf(scope, dependencies, invitation.survey_key);
    if (!form) return null;
    return { link, invitation, form };
  });
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

export async function viewSurvey(
  dependencies: SurveyDoorDependencies,
  token: string,
  locale: PageLocale,
  now: Date = new Date(),
): Promise<SurveyPageAnswer> {
  const loaded = await load(dependencies, token, now);
  if (!loaded) return { status: 404, html: renderSurveyMessage('missing', locale) };
  if (loaded.invitation.status === 'responded') {
    return { status: 200, html: renderSurveyMessage('answered', locale, loaded.form.title[locale]) };
  }
  return { status: 200, html: renderSurveyPage(pageSurvey(loaded.form), { locale, action: `/s/${token}` }) };
}

export async function submitSurvey(
  dependencies: SurveyDoorDependencies,
  token: string,
  raw: Record<string, string | string[] | undefined>,
  locale: PageLocale,
  now: Date = new Date(),
): Promise<SurveyPageAnswer> {
  const loaded = await load(dependencies, token, now);
  if (!loaded) return { status: 404, html: renderSurveyMessage('missing', locale) };
  const { link, invitation, form } = loaded;
  const title = form.title[locale];
  if (invitation.status === 'responded')
    return { status: 409, html: renderSurveyMessage('answered', locale, title) };
  const { answers, problems } = readAnswers(form.questions, raw);
  if (problems.length > 0) {
    const errors = Object.fromEntries(problems.map((problem) => [problem.question, problem.message[locale]]));
    return {
      status: 422,
      html: renderSurveyPage(pageSurvey(form), { locale, action: `/s/${token}`, values: raw, errors }),
    };
  }
  const recorded = await dependencies.database.withTenant(link.tenantId, (trx) =>
    recordResponse(jobScope(trx, link.tenantId, { locale }), form, invitation, answers, locale, now),
  );
  if (!recorded) return { status: 409, html: renderSurveyMessage('answered', locale, title) };
  return { status: 200, html: renderSurveyMessage('thanks', locale, title) };
}
