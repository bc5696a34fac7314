// The Hono app: per-request context, the routers, and the one error handler. Who may call each
// route is declared on the route itself (worker/http/access.ts); the app refuses to start if a
// route declares nothing.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { readConfig } from "./config";
import { getDb } from "./db/client";
import type { AppEnv } from "./env";
import { access, declaredRoutes } from "./http/access";
import { bodyLimits } from "./http/body-limit";
import { apiHeaders, serveWidget } from "./http/embed-headers";
import { serveApiReference, serveOpenApi } from "./http/api-docs";
import { AppError, errorBody } from "./http/errors";
import { docs } from "./http/openapi";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { contactRoutes } from "./routes/contacts";
import { importRoutes } from "./routes/imports";
import { connectionRoutes } from "./routes/connections";
import { oauthRoutes } from "./routes/oauth";
import { syncRoutes } from "./routes/sync";
import { webhookRoutes } from "./routes/webhooks";

// strict: false — a trailing slash names the same route (`/api/contactlists/` = `/api/contactlists`).
const app = new Hono<AppEnv>({ strict: false });
const healthSchema = z.object({ ok: z.literal(true) });

app.use("/api/*", async (c, next) => {
  c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
  c.set("config", readConfig(c.env));
  c.set("db", getDb(c.env.DB));
  await next();
});

app.use("/api/*", apiHeaders());
app.use("/api/*", bodyLimits);

const routes = app
  .get("/api/health", access.public("says only that the Worker answers"), docs({ summary: "Whether the Worker answers", tag: "Meta", ok: { 200: healthSchema } }), (c) =>
    c.json({ ok: true as const }, 200),
  )
  .route("/api/admin", adminRoutes)
  .route("/api/auth", authRoutes)
  .route("/api/oauth", oauthRoutes)
  .route("/api", contactRoutes)
  .route("/api", syncRoutes)
  .route("/api", importRoutes)
  .route("/api", connectionRoutes)
  .route("/api/webhooks", webhookRoutes);

// The API's own description: the same document for everyone, built from the routes above.
app
  .get(
    "/api/openapi.json",
    access.public("the API's description, the same for everyone; nothing in it is secret"),
    docs({ summary: "This API as an OpenAPI 3.1 document", tag: "Meta", ok: { 200: z.looseObject({ openapi: z.string() }) } }),
    (c) => serveOpenApi(app, c),
  )
  .get(
    "/api/docs",
    access.public("a static page that renders the public OpenAPI document"),
    docs({ summary: "The API reference (this page)", tag: "Meta", ok: { 200: { description: "An HTML page.", contentType: "text/html" } } }),
    (c) => serveApiReference(c),
  );

// Fail closed: a route without an access declaration stops the Worker from starting.
declaredRoutes(app);

// The widget and its files (wrangler.toml runs the Worker first for them) with the frame policy.
app.all("*", (c) => {
  if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return c.notFound();
  return serveWidget(c);
});

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404));

app.onError((err, c) => {
  const requestId = c.get("requestId");
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
    return c.json(errorBody(err.code, err.message, requestId, err.details), err.status);
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json(errorBody("invalid_parameter", err.message || "Bad request.", requestId), err.status);
  }
  console.error(JSON.stringify({ event: "unhandled_error", requestId, error: String(err), stack: (err as Error)?.stack }));
  return c.json(errorBody("internal_error", "Something went wrong on our side.", requestId), 500);
});

export type AppType = typeof routes;
export default app;
