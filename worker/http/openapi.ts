// The OpenAPI 3.1 document, built from the same zod schemas that validate requests (shared/).
// hono-openapi reads each route's validators (parameters, query, body) and its `docs()` (summary,
// success answers); the error answers are added here from what the route declares: its access
// policy (401/403), its validators (400), its body cap (413), and the codes it names itself.
//
// Documenting a route is one line after its access declaration:
//   .get("/x", access.token("read"), docs({ summary: "…", tag: "Contacts", ok: { 200: xSchema }, errors: ["not_found"] }), handler)
// A route without `docs()` fails test/worker/openapi.test.ts.
import type { Hono, MiddlewareHandler } from "hono";
import { describeRoute, generateSpecs, type HandlerUniqueProperty, type ResponsesWithResolver, resolver, uniqueSymbol } from "hono-openapi";
import { z } from "zod";
import { ERROR_MEANING, ERROR_STATUS, type ErrorCode, errorBodySchema } from "../../shared/schemas/errors";
import type { AppEnv } from "../env";
import { type AccessPolicy, declaredRoutes } from "./access";
import { maxBodyFor } from "./body-limit";

export const TAGS = {
  Contacts: "Contacts from the cache: list, search, page, and one contact with its related records.",
  Sync: "Start syncs from the upstream CRM and watch their progress.",
  Imports: "Contact lists and CSV imports (validated or fast), their tasks and rejected rows.",
  Auth: "Token exchanges for embedded widgets.",
  Admin: "Operator endpoints, behind ADMIN_API_KEY.",
  Meta: "Health and this documentation.",
  Connect: "OAuth installs of GoHighLevel and AmoCRM, app events, and the state of each connection.",
  Webhooks: "Change notices from the upstream CRMs (signed), applied to the cache as hints.",
} as const;
export type Tag = keyof typeof TAGS;

/** A success answer whose body is not JSON (a CSV file, an HTML page, a 304 without a body). */
export type OtherBody = { description: string; contentType?: string };
export type SuccessStatus = 200 | 201 | 202 | 304;

export type RouteDocs = {
  summary: string;
  description?: string;
  tag: Tag;
  /** Success answers: a zod schema of the JSON body, or a body that is not JSON. */
  ok: Partial<Record<SuccessStatus, z.ZodType | OtherBody>>;
  /** A body the validators do not describe (a file upload). */
  body?: { description: string; contentTypes: string[] };
  /** Codes this route answers besides those its declarations imply (access, validation, body cap). */
  errors?: ErrorCode[];
};

const DOCS = Symbol.for("crm-edge.route-docs");
type Documented = MiddlewareHandler & { [DOCS]?: RouteDocs };

const isSchema = (v: z.ZodType | OtherBody): v is z.ZodType => v instanceof z.ZodType;

/** Documents a route; put it right after the route's access declaration. */
export function docs(route: RouteDocs): MiddlewareHandler {
  const responses: ResponsesWithResolver = {};
  for (const [status, body] of Object.entries(route.ok) as [string, z.ZodType | OtherBody][]) {
    responses[status] = isSchema(body)
      ? { description: body.description ?? "Success.", content: { "application/json": { schema: resolver(body) } } }
      : { description: body.description, ...(body.contentType ? { content: { [body.contentType]: { schema: { type: "string" } } } } : {}) };
  }
  const requestBody = route.body && {
    description: route.body.description,
    required: true,
    content: Object.fromEntries(route.body.contentTypes.map((t) => [t, { schema: { type: "string" as const } }])),
  };
  const handler = describeRoute({ summary: route.summary, description: route.description, tags: [route.tag], responses, requestBody }) as Documented;
  handler[DOCS] = route;
  return handler;
}

type ValidationTarget = "json" | "query" | "param" | "header" | "form" | "cookie";

export type RouteContract = {
  method: string;
  /** Hono's path (`/api/contacts/:id`). */
  path: string;
  policy: AccessPolicy;
  docs: RouteDocs | undefined;
  /** Every error code the route may answer, by HTTP status. */
  errors: Map<number, ErrorCode[]>;
};

function impliedErrors(method: string, path: string, policy: AccessPolicy, targets: Set<ValidationTarget>): ErrorCode[] {
  const codes: ErrorCode[] = ["internal_error"];
  if (policy.kind !== "public") codes.push("unauthorized", "misconfigured");
  if (policy.kind === "token") codes.push("insufficient_scope", "forbidden_location");
  if (targets.has("query") || targets.has("param")) codes.push("invalid_parameter");
  // A JSON body that does not parse, or comes with another content type, is Hono's 400 (invalid_parameter).
  if (targets.has("json")) codes.push("invalid_body", "invalid_parameter");
  if (method !== "GET" && maxBodyFor(path.replace(/:[^/]+/g, "x")) !== null) codes.push("payload_too_large");
  return codes;
}

/** Every /api route with its declarations and the errors they imply. */
export function routeContracts(app: Hono<AppEnv>): RouteContract[] {
  const docsOf = new Map<string, RouteDocs>();
  const targetsOf = new Map<string, Set<ValidationTarget>>();
  for (const r of app.routes) {
    const key = `${r.method} ${r.path}`;
    const documented = (r.handler as Documented)[DOCS];
    if (documented) docsOf.set(key, documented);
    const marked = (r.handler as { [uniqueSymbol]?: HandlerUniqueProperty })[uniqueSymbol];
    if (marked && "target" in marked) targetsOf.set(key, (targetsOf.get(key) ?? new Set()).add(marked.target as ValidationTarget));
  }
  return declaredRoutes(app).map(({ method, path, policy }) => {
    const key = `${method} ${path}`;
    const docsForRoute = docsOf.get(key);
    const codes = new Set([...impliedErrors(method, path, policy, targetsOf.get(key) ?? new Set()), ...(docsForRoute?.errors ?? [])]);
    const errors = new Map<number, ErrorCode[]>();
    for (const code of [...codes].sort()) errors.set(ERROR_STATUS[code], [...(errors.get(ERROR_STATUS[code]) ?? []), code]);
    return { method, path, policy, docs: docsForRoute, errors };
  });
}

/** Hono's `/a/:id` is OpenAPI's `/a/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function errorResponse(codes: ErrorCode[]) {
  const body = errorBodySchema.extend({ error: errorBodySchema.shape.error.extend({ code: z.enum(codes) }) });
  return {
    description: codes.map((c) => `\`${c}\`: ${ERROR_MEANING[c]}`).join("\n\n"),
    content: { "application/json": { schema: { ...z.toJSONSchema(body), $schema: undefined } } },
  };
}

const SECURITY: Record<AccessPolicy["kind"], { [scheme: string]: string[] }[]> = {
  public: [],
  token: [{ locationToken: [] }],
  admin: [{ adminKey: [] }],
};

type Operation = { responses?: Record<string, unknown>; security?: unknown; description?: string };

/** The OpenAPI 3.1 document of the app's /api routes. */
export async function openApiDocument(app: Hono<AppEnv>, version: string) {
  const spec = await generateSpecs(app, {
    documentation: {
      info: {
        title: "CRM Edge API",
        version,
        description:
          "Contacts of GoHighLevel and AmoCRM locations served from an edge cache, kept fresh by rate-limited syncs, with CSV imports. " +
          "Every failure answers `{success: false, error: {code, message, request_id}}`; each operation lists its codes.",
      },
      tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          locationToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A location token (POST /api/admin/tokens, or an SSO exchange); its scopes decide what it may do." },
          adminKey: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_API_KEY." },
        },
      },
    },
    defaultValidationErrorResponse: false,
    // `/api/openapi.json` and `rejects.csv` are routes, not static files.
    excludeStaticFile: false,
  });
  const paths = spec.paths as Record<string, Record<string, Operation>>;
  for (const route of routeContracts(app)) {
    const op = paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!op) continue;
    op.security = SECURITY[route.policy.kind];
    if (route.policy.kind === "token") op.description = `${op.description ? `${op.description}\n\n` : ""}Needs a token with the \`${route.policy.scope}\` scope.`;
    op.responses ??= {};
    const responses = op.responses;
    for (const [status, codes] of route.errors) responses[String(status)] = errorResponse(codes);
  }
  return spec;
}
