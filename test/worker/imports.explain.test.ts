// The new import and retention queries are served by indexes: no scan of contacts, tasks or keys.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";


async function plan(sql: string, ...params: unknown[]): Promise<string> {
  const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return res.results.map((r) => r.detail).join(" | ");
}

describe("EXPLAIN QUERY PLAN of the import and retention queries", () => {
  it("dedupe: a location's live contacts by email_key, and a task's keys by primary key", async () => {
    const p = await plan(
      `select d.key, d.first_row, exists (select 1 from contacts c where c.location_id = ? and c.email_key = d.key and c.deleted = 0)
       from import_dedupe_keys d where d.task_id = ? and d.key in (select value from json_each(?))`,
      "loc",
      "task",
      '["a@b.com"]',
    );
    expect(p).toContain("contacts_by_email_key");
    expect(p).toMatch(/SEARCH d USING (PRIMARY KEY|INDEX sqlite_autoindex_import_dedupe_keys)/);
    expect(p).not.toMatch(/SCAN (c|d)\b/);
  });

  it("watchdog and retention find their rows through indexes", async () => {
    expect(await plan("select id from import_tasks where status in ('queued', 'running') and updated_at < ? order by updated_at limit 50", 1)).toContain("import_tasks_by_status");
    expect(await plan("select id from import_tasks where finished_at < ? and status in ('completed', 'failed', 'cancelled') order by finished_at limit 20", 1)).toMatch(
      /^SEARCH import_tasks USING INDEX import_tasks_by_(finished|status)/,
    );
    expect(await plan("select id from contacts where deleted_at < ? and deleted = 1 limit 1000", 1)).toContain("contacts_deleted_at");
    expect(await plan("select domain from mx_cache where expires_at < ? limit 5000", 1)).toContain("mx_cache_by_expiry");
    expect(await plan("select id from contact_lists where deleted_at is not null limit 20")).toContain("contact_lists_deleted");
    expect(await plan("select rowid from import_rejects where task_id = ? limit 5000", "t")).not.toMatch(/^SCAN/);
  });
});
