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

/** What each code means, in one sentence (the OpenAPI document lists them per operation). */
export const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_parameter: "a path or query parameter (or the request's content type) is not acceptable; the message names it.",
  invalid_cursor: "the cursor is malformed, or was issued for another sort, order or search.",
  invalid_body: "the JSON body is malformed or does not match the schema; the message names the first problem.",
  unauthorized: "no valid credential: missing, malformed, forged, expired or revoked (always the same answer).",
  token_expired: "the token has expired.",
  forbidden_location: "the token does not cover the location named.",
  insufficient_scope: "the token lacks the scope this needs; the message names it.",
  rate_limited: "too many requests of this kind; Retry-After says when to try again.",
  not_found: "no such record in this location.",
  location_not_found: "the location is not registered.",
  location_exists: "a location with this id is already registered (PATCH it instead).",
  payload_too_large: "the request body is over its cap.",
  unsupported_media_type: "the body's content type is not one this route accepts.",
  upstream_error: "the upstream CRM failed.",
  misconfigured: "a secret the Worker needs is missing or malformed (an operator's fix).",
  internal_error: "something failed on our side; the request id identifies it in the logs.",
  list_not_found: "no such contact list in the locations the token covers.",
  import_task_not_found: "no such import task in the locations the token covers.",
  import_task_not_cancellable: "the task has already finished.",
  import_task_not_resumable: "only a failed or cancelled task can be resumed.",
  empty_file: "the upload is empty.",
  file_too_large: "the upload is over IMPORT_MAX_BYTES.",
  too_many_rows: "the file has more rows than an import may hold.",
  too_many_columns: "the file has more columns than an import may hold.",
  no_email_column: "no column of the file holds e-mail addresses.",
  not_csv: "the upload is not a CSV file.",
  undecodable_text: "the file's text encoding could not be decoded.",
  unsupported_kind: "this provider does not sync that kind of record.",
  unsupported_mode: "this provider does not sync in that mode.",
  filter_required: "a filtered sync needs a company filter (in the request or the location's settings).",
  sso_failed: "the SSO payload was not accepted (every failure of the exchange is this one answer).",
  sso_not_configured: "GoHighLevel SSO is not set up on this deployment (GHL_SSO_KEY).",
  unknown_location: "a location named is not registered.",
  base_url_not_allowed: "base_url names a host the provider does not use (or plain http outside DEV_MODE).",
  contacts_quota_exceeded: "the location holds as many contacts as its quota allows.",
  import_rows_quota_exceeded: "the location has imported as many rows today as its quota allows.",
  too_many_imports: "the location has as many imports in flight as its quota allows.",
  stale_webhook: "the webhook delivery's timestamp is older than the accepted age (a replay or a long delay).",
  account_mismatch: "the webhook delivery names another upstream account than the location's.",
  not_amocrm: "the operation exists only for AmoCRM locations.",
};
