// The one error model of the API: every failure answers {success:false, error:{code, message}}.
import { z } from "zod";

export const ERROR_STATUS = {
  invalid_parameter: 400,
  invalid_cursor: 400,
  invalid_body: 400,
  unauthorized: 401,
  token_expired: 401,
  forbidden_location: 403,
  not_found: 404,
  location_not_found: 404,
  location_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream_error: 502,
  misconfigured: 500,
  internal_error: 500,
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
