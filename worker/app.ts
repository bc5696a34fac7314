// The Hono app: per-request context, the routers, and the one error handler.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requireToken } from "./auth/middleware";
import { readConfig } from "./config";
import { getDb } from "./db/client";
import type { AppEnv } from "./env";
import { apiFramePolicy, serveWidget } from "./http/embed-headers";
import { AppError, errorBody } from "./http/errors";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { contactRoutes } from "./routes/contacts";
import { importRoutes } from "./routes/imports";
import { syncRoutes } from "./routes/sync";

// strict: false — a trailing slash names the same route (`/api/contactlists/` = `/api/contactlists`).
const app = new Hono<AppEnv>({ strict: false });

app.use("/api/*", async (c, next) => {
  c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
  c.set("config", readConfig(c.env));
  c.set("db", getDb(c.env.DB));
  await next();
});

app.use("/api/*", apiFramePolicy());

// Everything under /api but admin, health and the token exchanges (/api/auth/*) needs a
// location-scoped token.
app.use("/api/*", async (c, next) => {
  const path = c.req.path;
  if (path.startsWith("/api/admin/") || path.startsWith("/api/auth/") || path === "/api/health") return next();
  return requireToken(c, next);
});

const routes = app
  .get("/api/health", (c) => c.json({ ok: true as const }, 200))
  .route("/api/admin", adminRoutes)
  .route("/api/auth", authRoutes)
  .route("/api", contactRoutes)
  .route("/api", syncRoutes)
  .route("/api", importRoutes);

// The widget and its files (wrangler.toml runs the Worker first for them) with the frame policy.
app.all("*", (c) => {
  if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return c.notFound();
  return serveWidget(c);
});

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404));

app.onError((err, c) => {
  const requestId = c.get("requestId");
  if (err instanceof AppError) {
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
