// rejects.csv: every row of a task that did not end valid, with its bucket and reason, streamed
// page by page so a 500,000-row report never sits in memory. Cells that a spreadsheet would run
// as a formula (= + - @, and tab/CR that Excel strips before them) get a leading apostrophe
// (OWASP "CSV injection"); then RFC 4180 quoting.
import { and, asc, eq, gt } from "drizzle-orm";
import { type ImportRejectRow, importRejects } from "../../shared/db/imports";
import type { Db } from "../env";

const HEADER = ["row", "status", "reason", "hint", "email", "first_name", "last_name", "name", "phone", "company"];
const PAGE = 1000;

export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(r: ImportRejectRow): string {
  return [r.rowNo, r.status, r.reason, r.hint, r.email, r.firstName, r.lastName, r.name, r.phone, r.company].map(csvCell).join(",");
}

export function rejectsStream(db: Db, taskId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The BOM makes Excel read the file as UTF-8 (names in Cyrillic stay readable).
        controller.enqueue(encoder.encode(`\uFEFF${HEADER.join(",")}\r\n`));
        return;
      }
      const rows = await db
        .select()
        .from(importRejects)
        .where(and(eq(importRejects.taskId, taskId), gt(importRejects.rowNo, after)))
        .orderBy(asc(importRejects.rowNo))
        .limit(PAGE)
        .all();
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]?.rowNo ?? after;
      controller.enqueue(encoder.encode(rows.map((r) => `${line(r)}\r\n`).join("")));
    },
  });
}
