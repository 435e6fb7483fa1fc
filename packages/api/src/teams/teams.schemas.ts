import { userText } from '@crm/domain';
import { z } from 'zod';

/** A team as the list returns it: its members counted. */
export const teamOutput = z.object({ id: z.uuid(), name: z.string(), memberCount: z.number().int() });
export type TeamOutput = z.infer<typeof teamOutput>;

const teamName = userText({ required: true, max: 100 });

export const createTeamInput = z.strictObject({ name: teamName });
export type CreateTeamInput = z.infer<typeof createTeamInput>;

export const renameTeamInput = z.strictObject({ id: z.uuid(), name: teamName });
export type RenameTeamInput = z.infer<typeof renameTeamInput>;

export const teamIdInput = z.strictObject({ id: z.uuid() });
export const teamIdOutput = z.object({ id: z.uuid() });

export const assignTeamInput = z.strictObject({ userId: z.uuid(), teamId: z.uuid().nullable() });
export type AssignTeamInput = z.infer<typeof assignTeamInput>;
export const assignTeamOutput = z.object({ userId: z.uuid(), teamId: z.uuid().nullable() });
