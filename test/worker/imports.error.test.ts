// Bad uploads get their documented 4xx and leave nothing behind (no task, no R2 object); lists
// and tasks of another location are never reachable; task state rules (cancel, resume) hold.
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importTasks } from "../../shared/db/imports";
import { getDb } from "../../worker/db/client";
import { api, json } from "./helpers";
import { encodeUtf16le } from "./fixtures/import-file";
import { type Ctx, setupImport, startTask, storedUploads, upload, waitForTask } from "./fixtures/imports-api";

const db = getDb(env.DB);
type ErrorBody = { success: false; error: { code: string; message: string } };

async function expectRefused(ctx: Ctx, res: Response, status: number, code: string) {
  const body = await json<ErrorBody>(res);
  expect([res.status, body.error.code], body.error.message).toEqual([status, code]);
  expect(body.error.message.length).toBeGreaterThan(10);
  const tasks = await db.select().from(importTasks).where(eq(importTasks.listId, ctx.listId)).all();
  expect(tasks).toEqual([]);
  expect(await storedUploads(ctx.locationId)).toEqual([]);
}

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("malformed uploads", () => {
  const cases: [string, () => Promise<Uint8Array | string>, Parameters<typeof upload>[2], number, string][] = [
    ["an empty body", async () => "", {}, 400, "empty_file"],
    ["a BOM and nothing else", async () => bytes(0xef, 0xbb, 0xbf), {}, 400, "empty_file"],
    ["blank lines only", async () => "\r\n\r\n  \n", {}, 400, "empty_file"],
    ["an empty multipart file", async () => "", { multipart: true }, 400, "empty_file"],
    ["an .xlsx workbook", async () => bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00), { multipart: true }, 415, "not_csv"],
    ["a PNG", async () => bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), {}, 415, "not_csv"],
    ["binary with NUL bytes", async () => bytes(0x65, 0x6d, 0x00, 0x01, 0x02, 0x61, 0x40, 0x62), {}, 415, "not_csv"],
    ["UTF-16 without a BOM", async () => encodeUtf16le("email\na@b.com\n", false), {}, 415, "not_csv"],
    ["control characters throughout", async () => `email\n${"a\x01\x02\x03\x04\x05@b.com\n".repeat(20)}`, {}, 415, "not_csv"],
    ["bytes that are no supported encoding", async () => bytes(0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0x80, 0x81, 0x82, 0x83, 0x84, 0x8a, 0x8c), {}, 415, "undecodable_text"],
    ["an unsupported charset", async () => "email\na@b.com\n", { contentType: "text/csv; charset=shift_jis" }, 415, "undecodable_text"],
    ["no email column", async () => "name;phone\nJohn;123\nMary;456\n", {}, 422, "no_email_column"],
    ["too many columns", async () => `email,${Array.from({ length: 200 }, (_, i) => `c${i}`).join(",")}\na@b.com\n`, {}, 422, "too_many_columns"],
    ["too many rows", async () => `email\n${"a@acme-mail.com\n".repeat(1_000_001)}`, {}, 413, "too_many_rows"],
    ["a JSON body", async () => '{"email":"a@b.com"}', { contentType: "application/json" }, 415, "unsupported_media_type"],
  ];

  it.each(cases)("%s → documented 4xx, nothing written", async (_name, make, opts, status, code) => {
    const ctx = await setupImport();
    await expectRefused(ctx, await upload(ctx, await make(), opts), status, code);
  });

  it("a file over IMPORT_MAX_BYTES → 413 file_too_large (raw and multipart), after several R2 parts were already sent", async () => {
    const ctx = await setupImport();
    // Valid CSV all the way (so only the size can refuse it), 10 R2 parts' worth before the cap.
    const line = new TextEncoder().encode(`${"a".repeat(200)}@acme-mail.com\n`);
    const big = new Uint8Array(Number(env.IMPORT_MAX_BYTES) + 1);
    big.set(new TextEncoder().encode("email\n"));
    for (let at = 6; at < big.length; at += line.length) big.set(line.subarray(0, big.length - at), at);
    await expectRefused(ctx, await upload(ctx, big), 413, "file_too_large");
    await expectRefused(ctx, await upload(ctx, big, { multipart: true }), 413, "file_too_large");
  });

  it("multipart without a 'file' field → 400 invalid_body", async () => {
    const ctx = await setupImport();
    const form = new FormData();
    form.append("other", "x");
    const multipart = await exports.default.fetch(
      new Request(`https://crm-edge.test/api/contactlists/${ctx.listId}/import`, { method: "POST", headers: { authorization: `Bearer ${ctx.token}` }, body: form }),
    );
    await expectRefused(ctx, multipart, 400, "invalid_body");
  });
});

describe("location scoping and auth", () => {
  it("needs a token; another location's list and tasks are not found, never shown", async () => {
    const a = await setupImport();
    const b = await setupImport();
    const taskId = await startTask(a, "email\nx@acme-mail.com\n");
    await waitForTask(a, taskId);

    expect((await api("/api/contactlists")).status).toBe(401);
    const bAsA = { ...b, listId: a.listId };
    expect((await upload(bAsA, "email\ny@acme-mail.com\n")).status).toBe(404);
    for (const path of [`/api/contactlists/${a.listId}`, `/api/contactlists/${a.listId}/import-status`, `/api/import-tasks/${taskId}`, `/api/import-tasks/${taskId}/rejects.csv`]) {
      const res = await api(path, { token: b.token });
      expect(res.status, path).toBe(404);
    }
    expect((await api(`/api/import-tasks/${taskId}/cancel`, { token: b.token, method: "POST" })).status).toBe(404);
    expect((await api(`/api/contactlists?location_id=${a.locationId}`, { token: b.token })).status).toBe(403);
    const mine = await json<{ tasks: { task_id: string }[] }>(await api("/api/contactlists/import-tasks", { token: b.token }));
    expect(mine.tasks).toEqual([]);
    const theirs = await json<{ tasks: { task_id: string }[] }>(await api("/api/contactlists/import-tasks", { token: a.token }));
    expect(theirs.tasks.map((t) => t.task_id)).toEqual([taskId]);
  });
});

describe("lists and task state", () => {
  it("lists CRUD, with validation", async () => {
    const ctx = await setupImport();
    expect((await api("/api/contactlists", { token: ctx.token, body: { name: "" } })).status).toBe(400);
    const patched = await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token, method: "PATCH", body: { name: "VIP", description: "Top" } });
    expect(await json(patched)).toMatchObject({ list: { id: ctx.listId, name: "VIP", description: "Top", contact_count: 0 } });
    const all = await json<{ lists: { id: string }[] }>(await api("/api/contactlists", { token: ctx.token }));
    expect(all.lists.map((l) => l.id)).toEqual([ctx.listId]);
    expect((await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token, method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/contactlists/${ctx.listId}`, { token: ctx.token })).status).toBe(404);
  });

  it("import-status lists the list's tasks newest first; a completed task can be neither cancelled nor resumed", async () => {
    const ctx = await setupImport();
    const first = await startTask(ctx, "email\na@acme-mail.com\n");
    await waitForTask(ctx, first);
    const second = await startTask(ctx, "email\nb@acme-mail.com\n", { fast: true });
    await waitForTask(ctx, second);
    const status = await json<{ tasks: { task_id: string; rows_per_second: number | null }[] }>(
      await api(`/api/contactlists/${ctx.listId}/import-status`, { token: ctx.token }),
    );
    expect(status.tasks.map((t) => t.task_id)).toEqual([second, first]);
    const cancel = await api(`/api/import-tasks/${first}/cancel`, { token: ctx.token, method: "POST" });
    expect([cancel.status, (await json<ErrorBody>(cancel)).error.code]).toEqual([409, "import_task_not_cancellable"]);
    const resume = await api(`/api/import-tasks/${first}/resume`, { token: ctx.token, method: "POST" });
    expect([resume.status, (await json<ErrorBody>(resume)).error.code]).toEqual([409, "import_task_not_resumable"]);
    expect((await api("/api/import-tasks/imp_nope", { token: ctx.token })).status).toBe(404);
  });
});
