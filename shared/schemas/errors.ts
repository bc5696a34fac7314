// The one error model of the API: every failure answers {success:false, error:{code, message}}.
import { z } from "zod";

export const ERROR_STATUS = {
  invalid_parameter: 400,
  invalid_cursor: 400,
  invalid_body: 400,
  unauthorized: 401,
  token_expired: 401,
  forbidden_location: 403,
  insufficient_scope: 403,
  rate_limited: 429,
  not_found: 404,
  location_not_found: 404,
  location_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream_error: 502,
  misconfigured: 500,
  internal_error: 500,
  // CSV imports (docs/imports.md).
  list_not_found: 404,
  import_task_not_found: 404,
  import_task_not_cancellable: 409,
  import_task_not_resumable: 409,
  empty_file: 400,
  file_too_large: 413,
  too_many_rows: 413,
  too_many_columns: 422,
  no_email_column: 422,
  not_csv: 415,
  undecodable_text: 415,
  // Sync API (README).
  unsupported_kind: 400,
  unsupported_mode: 400,
  filter_required: 400,
  // Embedding: GoHighLevel custom-page SSO (POST /api/auth/ghl-sso). Every failure of the exchange
  // itself is one answer, `sso_failed` (docs/security.md says why).
  sso_failed: 401,
  sso_not_configured: 503,
  // Admin API.
  unknown_location: 400,
  base_url_not_allowed: 400,
  // Upstream webhooks (docs/webhooks.md).
  stale_webhook: 400,
  account_mismatch: 400,
  not_amocrm: 400,
  // Per-location quotas.
  contacts_quota_exceeded: 413,
  import_rows_quota_exceeded: 429,
  too_many_imports: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export const errorBodySchema = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.string(),
    message: z.string(),
    request_id: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
