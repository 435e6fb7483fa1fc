import { z } from 'zod';
import { permittedProcedure, router } from '../trpc';
import {
  createWebhookInput,
  deliveryIdInput,
  deliveryOutput,
  deliveryPageOutput,
  listDeliveriesInput,
  updateWebhookInput,
  webhookEndpointOutput,
  webhookIdInput,
  webhookWithSecretOutput,
} from './webhooks.schemas';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
} from './webhooks.service';

/** 开放平台 → Webhooks: endpoints, their signing secrets, the delivery log and replays (docs/api.md). */
export const webhooksRouter = router({
  list: permittedProcedure('platform.manage')
    .output(webhookEndpointOutput.array())
    .query(({ ctx }) => listWebhooks(ctx.scope)),

  create: permittedProcedure('platform.manage', { idempotent: true })
    .input(createWebhookInput)
    .output(webhookWithSecretOutput)
    .mutation(({ ctx, input }) => createWebhook(ctx.scope, input)),

  update: permittedProcedure('platform.manage')
    .input(updateWebhookInput)
    .output(webhookEndpointOutput)
    .mutation(({ ctx, input }) => updateWebhook(ctx.scope, input)),

  delete: permittedProcedure('platform.manage')
    .input(webhookIdInput)
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteWebhook(ctx.scope, input.id)),

  rotateSecret: permittedProcedure('platform.manage')
    .input(webhookIdInput)
    .output(webhookWithSecretOutput)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.scope, input.id)),

  sendTest: permittedProcedure('platform.manage')
    .input(webhookIdInput)
    .output(webhookEndpointOutput)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.scope, input.id)),

  deliveries: permittedProcedure('platform.manage')
    .input(listDeliveriesInput)
    .output(deliveryPageOutput)
    .query(({ ctx, input }) => listDeliveries(ctx.scope, input)),

  redeliver: permittedProcedure('platform.manage')
    .input(deliveryIdInput)
    .output(deliveryOutput)
    .mutation(({ ctx, input }) => redeliver(ctx.scope, input.id)),
});
