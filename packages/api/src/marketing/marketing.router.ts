import { permittedProcedure, router } from '../trpc';
import {
  audienceCountInput,
  audienceCountOutput,
  campaignIdInput,
  campaignOutput,
  createCampaignInput,
  createFormInput,
  formIdInput,
  formOutput,
  sendCampaignOutput,
  updateCampaignInput,
  updateFormInput,
} from './marketing.schemas';
import {
  audienceCount,
  changeCampaign,
  changeForm,
  createCampaign,
  createForm,
  getCampaign,
  getForm,
  listCampaigns,
  listForms,
  sendCampaign,
} from './marketing.service';

/** 营销: hosted lead forms and campaigns (marketing, admins). */
export const marketingRouter = router({
  forms: router({
    list: permittedProcedure('campaigns.manage')
      .output(formOutput.array())
      .query(({ ctx }) => listForms(ctx.scope)),
    get: permittedProcedure('campaigns.manage')
      .input(formIdInput)
      .output(formOutput)
      .query(({ ctx, input }) => getForm(ctx.scope, input.id)),
    create: permittedProcedure('campaigns.manage', { idempotent: true })
      .input(createFormInput)
      .output(formOutput)
      .mutation(({ ctx, input }) => createForm(ctx.scope, input)),
    update: permittedProcedure('campaigns.manage')
      .input(updateFormInput)
      .output(formOutput)
      .mutation(({ ctx, input }) => changeForm(ctx.scope, input)),
  }),
  campaigns: router({
    list: permittedProcedure('campaigns.manage')
      .output(campaignOutput.array())
      .query(({ ctx }) => listCampaigns(ctx.scope)),
    get: permittedProcedure('campaigns.manage')
      .input(campaignIdInput)
      .output(campaignOutput)
      .query(({ ctx, input }) => getCampaign(ctx.scope, input.id)),
    audienceCount: permittedProcedure('campaigns.manage')
      .input(audienceCountInput)
      .output(audienceCountOutput)
      .query(({ ctx, input }) => audienceCount(ctx.scope, input.audience)),
    create: permittedProcedure('campaigns.manage', { idempotent: true })
      .input(createCampaignInput)
      .output(campaignOutput)
      .mutation(({ ctx, input }) => createCampaign(ctx.scope, input)),
    update: permittedProcedure('campaigns.manage')
      .input(updateCampaignInput)
      .output(campaignOutput)
      .mutation(({ ctx, input }) => changeCampaign(ctx.scope, input)),
    send: permittedProcedure('campaigns.manage', { idempotent: true })
      .input(campaignIdInput)
      .output(sendCampaignOutput)
      .mutation(({ ctx, input }) => sendCampaign(ctx.scope, input.id)),
  }),
});
