import { permittedProcedure, router } from '../trpc';
import { apiKeyIdInput, apiKeyOutput, createApiKeyInput, createdApiKeyOutput } from './api-keys.schemas';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service';

/** 开放平台 → API 密钥: a tenant's keys for the REST API (docs/api.md). */
export const apiKeysRouter = router({
  list: permittedProcedure('platform.manage')
    .output(apiKeyOutput.array())
    .query(({ ctx }) => listApiKeys(ctx.scope)),

  create: permittedProcedure('platform.manage', { idempotent: true })
    .input(createApiKeyInput)
    .output(createdApiKeyOutput)
    .mutation(({ ctx, input }) => createApiKey(ctx.scope, input)),

  revoke: permittedProcedure('platform.manage')
    .input(apiKeyIdInput)
    .output(apiKeyOutput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.scope, input.id)),
});
