// The widget's admin screen: the connection of the location a token covers (scope admin). The
// operator's view of every location is GET /api/admin/connections.
import { z } from "zod";
import { resolveLocation } from "../auth/locations";
import { connectionRows } from "../db/connections";
import { access } from "../http/access";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { docs } from "../http/openapi";
import { connectionsResponseSchema } from "../../shared/schemas/connections";
import { toConnection } from "../oauth/connections";

const query = z.object({ location_id: z.string().min(1).max(128).optional() });

export const connectionRoutes = createRouter().get("/connections", access.token("admin"), docs({ summary: "This location's upstream connection (admin scope)", tag: "Connect", ok: { 200: connectionsResponseSchema } }), validate("query", query), async (c) => {
  const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
  const origin = new URL(c.req.url).origin;
  const now = Date.now();
  const rows = await connectionRows(c.var.db, [locationId]);
  return c.json({ connections: rows.map((r) => toConnection(r, c.var.config, origin, now)) }, 200);
});
