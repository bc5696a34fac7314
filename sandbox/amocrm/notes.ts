// GET /api/v4/{contacts|companies}/notes: by entity id, note type, id and updated_at range.
// There is no /api/v4/notes; AmoCRM only lists notes per entity type.
import { Hono } from "hono";
import type { AmoNote } from "./data/types";
import { halPage } from "./envelope";
import type { AmoEnv } from "./env";
import { idSet, listRequest, select } from "./filters";

export function notes(entity: "contacts" | "companies") {
  return new Hono<AmoEnv>({ strict: false }).get("/", (c) => {
    const req = listRequest<AmoNote>(c.req.url);
    if (req instanceof Response) return req;
    const { q, pg, preds } = req;
    const entityIds = idSet(q.list("filter", "entity_id"));
    if (entityIds) preds.push((n) => entityIds.has(n.entity_id));
    const types = q.list("filter", "note_type");
    if (types.length) preds.push((n) => types.includes(n.note_type));
    const activity = c.env.account.activity;
    const all = entity === "contacts" ? activity.contactNotes : activity.companyNotes;
    return halPage(q.url, "notes", select(all, preds, q, ["updated_at", "id"]), pg.page, pg.limit);
  });
}
