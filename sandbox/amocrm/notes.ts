// GET /api/v4/{contacts|companies}/notes: by entity id, note type, id and updated_at range.
// There is no /api/v4/notes; AmoCRM only lists notes per entity type.
import { Hono } from "hono";
import type { AmoNote } from "./data/types";
import { halPage } from "./envelope";
import type { AmoEnv } from "./env";
import { entityFilters, idSet, paging, Query, select, type Pred } from "./filters";

export function notes(entity: "contacts" | "companies") {
  return new Hono<AmoEnv>({ strict: false }).get("/", (c) => {
    const q = new Query(new URL(c.req.url));
    const pg = paging(q);
    if (pg instanceof Response) return pg;
    const preds: Pred<AmoNote>[] = [];
    const bad = entityFilters(q, preds);
    if (bad) return bad;
    const entityIds = idSet(q.list("filter", "entity_id"));
    if (entityIds) preds.push((n) => entityIds.has(n.entity_id));
    const types = q.list("filter", "note_type");
    if (types.length) preds.push((n) => types.includes(n.note_type));
    const activity = c.env.account.activity;
    const all = entity === "contacts" ? activity.contactNotes : activity.companyNotes;
    return halPage(q.url, "notes", select(all, preds, q, ["updated_at", "id"]), pg.page, pg.limit);
  });
}
