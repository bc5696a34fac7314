// The GHL API surface: the routers behind the gate. Unknown paths answer like NestJS does.
import { Hono } from "hono";
import type { Sandbox } from "../sandbox";
import { contacts } from "./contacts";
import { ghlErrors, json } from "./errors";
import type { GhlEnv } from "./env";
import { ghlGate } from "./gate";
import { related } from "./related";
import { users } from "./users";

const routes = new Hono<GhlEnv>({ strict: false })
  .route("/contacts", contacts)
  .route("/users", users)
  .route("/", related)
  .notFound((c) => json({ statusCode: 404, message: `Cannot ${c.req.method} ${new URL(c.req.url).pathname}`, error: "Not Found" }, 404))
  .onError((err) => {
    console.error("sandbox GHL route failed", err);
    return ghlErrors.internal();
  });

export function handleGhl(sandbox: Sandbox, req: Request): Promise<Response> {
  return ghlGate(sandbox, req, async (location) => routes.fetch(req, { sandbox, location }));
}
