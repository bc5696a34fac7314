// GHL's error bodies (NestJS style, as in the OpenAPI common-schemas.json). Plain Responses, so both the gate
// and the Hono handlers can return them.

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export const ghlErrors = {
  badRequest: (message: string) => json({ statusCode: 400, message }, 400),
  unauthorized: () =>
    json({ statusCode: 401, message: "Invalid token: access token is invalid", error: "Unauthorized" }, 401),
  /** A Company (agency) token on a sub-account endpoint. */
  wrongAuthClass: () =>
    json({ statusCode: 401, message: "This authClass type is not allowed to access this scope. Please reach out to the Platform team to get it added." }, 401),
  forbidden: () => json({ statusCode: 403, message: "The token does not have access to this location." }, 403),
  notFound: (message: string) => json({ statusCode: 404, message }, 404),
  unprocessable: (messages: string[]) =>
    json({ statusCode: 422, message: messages, error: "Unprocessable Entity" }, 422),
  tooMany: () => json({ statusCode: 429, message: "Too Many Requests" }, 429),
  internal: () => json({ statusCode: 500, message: "Internal server error" }, 500),
};

/** Parses an integer query parameter; undefined when absent, NaN when present but not an integer. */
export function intParam(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Shared limit validation for the GET list endpoints (default 20, max 100). */
export function limitParam(raw: string | undefined, name = "limit"): number | string {
  const n = intParam(raw) ?? 20;
  if (Number.isNaN(n)) return `${name} must be an integer number`;
  if (n < 1) return `${name} must not be less than 1`;
  if (n > 100) return `${name} must not be greater than 100`;
  return n;
}
