import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import {
  analyseFollowUpInput,
  closeFollowUpInput,
  customerSatisfactionInput,
  customerSatisfactionOutput,
  followUpListOutput,
  followUpOutput,
  invitationIdInput,
  invitationListOutput,
  inviteInput,
  inviteOutput,
  linkOutput,
  listFollowUpsInput,
  listInvitationsInput,
  responseListOutput,
  responsesInput,
  resultsInput,
  resultsOutput,
  saveSurveyInput,
  setSurveyEnabledInput,
  surveyKeyInput,
  surveyListOutput,
  surveyOutput,
  surveySettingsOutput,
  updateSurveySettingsInput,
} from './surveys.schemas';
import {
  analyseFollowUp,
  archiveSurvey,
  closeFollowUp,
  customerSatisfaction,
  getSurvey,
  getSurveySettings,
  invitationLink,
  inviteCustomers,
  listFollowUps,
  listInvitations,
  listResponses,
  listSurveys,
  saveSurvey,
  setSurveyEnabled,
  surveyResults,
  updateSurveySettings,
} from './surveys.service';

/**
 * Surveys (问卷): the plugin's and the tenant's. Reading the list and a customer's
 * satisfaction needs customers.read; inviting (email, SMS, a link for WeChat) and working
 * follow-ups surveys.send; building surveys and their settings surveys.manage; NPS, CSAT and
 * the answers surveys.results (a manager's figures cover the customers they see).
 */
export const surveysRouter = router({
  list: permittedProcedure('customers.read')
    .output(surveyListOutput)
    .query(({ ctx }) => listSurveys(ctx.scope, ctx)),

  get: permittedProcedure('customers.read')
    .input(surveyKeyInput)
    .output(surveyOutput)
    .query(({ ctx, input }) => getSurvey(ctx.scope, ctx, input.key)),

  save: permittedProcedure('surveys.manage')
    .input(saveSurveyInput)
    .output(surveyOutput)
    .mutation(({ ctx, input }) => saveSurvey(ctx.scope, ctx, input)),

  archive: permittedProcedure('surveys.manage')
    .input(surveyKeyInput)
    .output(z.object({ key: z.string() }))
    .mutation(({ ctx, input }) => archiveSurvey(ctx.scope, input.key)),

  setEnabled: permittedProcedure('surveys.manage')
    .input(setSurveyEnabledInput)
    .output(surveyOutput)
    .mutation(({ ctx, input }) => setSurveyEnabled(ctx.scope, ctx, input.key, input.enabled)),

  settings: permittedProcedure('customers.read')
    .output(surveySettingsOutput)
    .query(({ ctx }) => getSurveySettings(ctx.scope)),

  updateSettings: permittedProcedure('surveys.manage')
    .input(updateSurveySettingsInput)
    .output(surveySettingsOutput)
    .mutation(({ ctx, input }) => updateSurveySettings(ctx.scope, input)),

  invite: permittedProcedure('surveys.send')
    .input(inviteInput)
    .output(inviteOutput)
    .mutation(({ ctx, input }) => inviteCustomers(ctx.scope, ctx, input)),

  /** The invitation's public link again, to copy into WeChat. */
  link: permittedProcedure('surveys.send')
    .input(invitationIdInput)
    .output(linkOutput)
    .query(({ ctx, input }) => invitationLink(ctx.scope, input.id)),

  invitations: permittedProcedure('customers.read')
    .input(listInvitationsInput)
    .output(invitationListOutput)
    .query(({ ctx, input }) => listInvitations(ctx.scope, input)),

  responses: permittedProcedure('surveys.results')
    .input(responsesInput)
    .output(responseListOutput)
    .query(({ ctx, input }) => listResponses(ctx.scope, input)),

  results: permittedProcedure('surveys.results')
    .input(resultsInput)
    .output(resultsOutput)
    .query(({ ctx, input }) => surveyResults(ctx.scope, ctx, input)),

  /** The satisfaction card of the customer 360: the last NPS and CSAT, answers, open follow-ups. */
  customer: permittedProcedure('customers.read')
    .input(customerSatisfactionInput)
    .output(customerSatisfactionOutput)
    .query(({ ctx, input }) => customerSatisfaction(ctx.scope, input.customerId)),

  followUps: permittedProcedure('surveys.send')
    .input(listFollowUpsInput)
    .output(followUpListOutput)
    .query(({ ctx, input }) => listFollowUps(ctx.scope, input)),

  analyseFollowUp: permittedProcedure('surveys.send')
    .input(analyseFollowUpInput)
    .output(followUpOutput)
    .mutation(({ ctx, input }) => analyseFollowUp(ctx.scope, input)),

  closeFollowUp: permittedProcedure('surveys.send')
    .input(closeFollowUpInput)
    .output(followUpOutput)
    .mutation(({ ctx, input }) => closeFollowUp(ctx.scope, input)),
});
