// GET /api/v4/tasks: entity type and ids (ids need the type, as AmoCRM insists), completion,
// responsible user, updated_at range; order by created_at, complete_till or id.
import { Hono } from "hono";
import type { AmoTask, TaskEntityType } from "./data/types";
import { amoErrors, halPage } from "./envelope";
import type { AmoEnv } from "./env";
import { idSet, listRequest, select } from "./filters";

const ENTITY_TYPES: readonly string[] = ["leads", "contacts", "companies", "customers"] satisfies TaskEntityType[];

export const tasks = new Hono<AmoEnv>({ strict: false })
  .get("/", (c) => {
    const req = listRequest<AmoTask>(c.req.url);
    if (req instanceof Response) return req;
    const { q, pg, preds } = req;
    const types = q.list("filter", "entity_type");
    if (types.some((t) => !ENTITY_TYPES.includes(t))) {
      return amoErrors.validation([{ path: "filter[entity_type]", detail: `must be one of ${ENTITY_TYPES.join(", ")}` }]);
    }
    if (types.length) preds.push((t) => types.includes(t.entity_type));
    const entityIds = idSet(q.list("filter", "entity_id"));
    if (entityIds && !types.length) {
      return amoErrors.validation([{ path: "filter[entity_id]", detail: "filter[entity_type] is required with filter[entity_id]" }]);
    }
    if (entityIds) preds.push((t) => entityIds.has(t.entity_id));
    const done = q.one("filter", "is_completed");
    if (done !== undefined) {
      if (done !== "0" && done !== "1") return amoErrors.validation([{ path: "filter[is_completed]", detail: "must be 0 or 1" }]);
      preds.push((t) => t.is_completed === (done === "1"));
    }
    return halPage(q.url, "tasks", select(c.env.account.activity.tasks, preds, q, ["created_at", "complete_till", "id"]),
      pg.page, pg.limit);
  });
