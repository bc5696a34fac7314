// Admin API shapes for locations. Credentials go in, never come out: responses only say whether
// a location has them.
import { z } from "zod";
import { PROVIDERS } from "../db/schema";

export const credentialsSchema = z
  .object({
    access_token: z.string().min(1).max(8192),
    refresh_token: z.string().min(1).max(8192).optional(),
    client_id: z.string().min(1).max(512).optional(),
    client_secret: z.string().min(1).max(512).optional(),
    redirect_uri: z.url().optional(),
    /** When access_token expires, Unix seconds (AmoCRM's server_time + expires_in). */
    expires_at: z.number().int().positive().optional(),
    /** When access_token was issued, Unix seconds: it is renewed a fifth of its lifetime early. */
    issued_at: z.number().int().positive().optional(),
    /** AmoCRM long-lived token: no refresh token, never refreshed. */
    long_lived: z.boolean().optional(),
    /** GoHighLevel: a location token minted from this agency grant (oauth_grants.id), re-minted there, never refreshed. */
    company_grant: z.string().min(1).max(300).optional(),
    /** GoHighLevel OAuth: the token's class (a Company token cannot read contacts). */
    user_type: z.enum(["Company", "Location"]).optional(),
  })
  .strict();
export type Credentials = z.infer<typeof credentialsSchema>;

const baseUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(512)
  .transform((u) => u.replace(/\/+$/, ""));

const locationFields = {
  name: z.string().max(200),
  account_id: z.string().min(1).max(200),
  /** Which provider hosts it may name, and when plain http is allowed, the Worker decides (DEV_MODE). */
  base_url: baseUrlSchema.nullable(),
  /** GoHighLevel: the agency (company) id, pinned; SSO payloads naming another company are refused. */
  company_id: z.string().min(1).max(200).nullable(),
  credentials: credentialsSchema,
  settings: z.record(z.string(), z.unknown()),
};

export const locationCreateSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "letters, digits, '_' and '-', 1 to 128 characters"),
    provider: z.enum(PROVIDERS),
    ...locationFields,
    name: locationFields.name.default(""),
    base_url: locationFields.base_url.optional(),
    company_id: locationFields.company_id.optional(),
    credentials: locationFields.credentials.optional(),
    settings: locationFields.settings.default({}),
  })
  .strict();
export type LocationCreate = z.infer<typeof locationCreateSchema>;

// No defaults here: a field absent from a patch is left as it is.
export const locationPatchSchema = z
  .object(locationFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "at least one field to change");
export type LocationPatch = z.infer<typeof locationPatchSchema>;

export const locationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(PROVIDERS),
  account_id: z.string(),
  base_url: z.string().nullable(),
  company_id: z.string().nullable(),
  has_credentials: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  last_synced_at: z.string().nullable(),
  contact_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type LocationView = z.infer<typeof locationViewSchema>;

// Responses of the admin API (the OpenAPI document and the worker tests check them).
export const locationResponseSchema = z.object({ success: z.literal(true), location: locationViewSchema });
export const locationsResponseSchema = z.object({ success: z.literal(true), locations: z.array(locationViewSchema) });
