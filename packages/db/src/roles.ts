/** The role that owns every table and runs migrations. It never serves requests. */
export const OWNER_ROLE = 'crm_owner';
/** The role requests run as: owns nothing, not superuser, cannot bypass RLS. */
export const APP_ROLE = 'crm_app';
