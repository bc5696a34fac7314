// rejects.csv: every row of a task that did not end valid, with its bucket and reason, streamed
// page by page so a 500,000-row report never sits in memory.
// The file must stay inert in every spreadsheet locale (OWASP "CSV injection"). Excel in Russian,
// German or French splits on `;`, not `,`: opened there, `x;=WEBSERVICE(…)` inside one of our cells
// becomes a cell of its own that starts with `=`. So every formula lead-in (= + - @, and the
// tab/CR/LF Excel strips before them) gets an apostrophe in front of it wherever a cell could start
// in ANY locale: at the start of the text and after each `;`, `,`, tab or line break. Then every
// text cell is quoted (RFC 4180).
import { and, asc, eq, gt } from "drizzle-orm";
import { type ImportRejectRow, importRejects } from "../../shared/db/imports";
import type { Db } from "../env";

const HEADER = ["row", "status", "reason", "hint", "email", "first_name", "last_name", "name", "phone", "company"];
const PAGE = 1000;

const LEAD_IN = /(^|[;,\t\r\n])([=+\-@\t\r\n])/g;

export function neutralise(value: string): string {
  // Until nothing changes: a lead-in right after another ("\t\t=…") shows once the first is fixed.
  let out = value;
  for (let before = ""; before !== out; ) {
    before = out;
    out = out.replace(LEAD_IN, "$1'$2");
  }
  return out;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return `"${neutralise(value).replace(/"/g, '""')}"`;
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
