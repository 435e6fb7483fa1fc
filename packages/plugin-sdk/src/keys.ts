/*
 * The key format on its own (no zod), for code that checks keys without the rest of the SDK:
 * the web app's search parameters, part of the app shell every first visit loads
 * (`@crm/plugin-sdk/keys`).
 */

/** The key format as a regular expression source, to compose with (`custom:${KEY_SOURCE}`). */
export const KEY_SOURCE = '[a-z][a-z0-9_]{0,39}';

/** Snake-case key as the core stores it (custom field keys, survey keys …). The one key format. */
export const KEY_PATTERN = new RegExp(`^${KEY_SOURCE}$`);

/** A column, sort or field that names a custom field: `custom:<key>`. */
export const CUSTOM_KEY_PATTERN = new RegExp(`^custom:${KEY_SOURCE}$`);
