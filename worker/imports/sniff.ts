// Reads the head of a file: which delimiter, is the first row a header, which column is which.
import { parse } from "csv-parse/sync";
import type { ColumnMap } from "../../shared/db/imports";
import { checkSyntax } from "../validation/syntax";

export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

type Field = keyof ColumnMap;

/** Header aliases after normalise(): lower case, separators as single spaces. */
const ALIASES: Record<Field, string[]> = {
  email: [
    "email", "e mail", "email address", "e mail address", "emailaddress", "mail", "email id", "primary email",
    "почта", "эл почта", "электронная почта", "e mail адрес", "email адрес", "адрес электронной почты", "емейл", "имейл",
  ],
  firstName: ["first name", "firstname", "first", "given name", "forename", "имя"],
  lastName: ["last name", "lastname", "last", "surname", "family name", "фамилия"],
  name: ["name", "full name", "fullname", "contact name", "contact", "фио", "полное имя", "имя и фамилия", "контакт"],
  phone: ["phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "cell", "телефон", "тел", "мобильный", "номер телефона", "мобильный телефон"],
  company: ["company", "company name", "organization", "organisation", "org", "компания", "организация", "название компании"],
};

const LOOKUP = new Map<string, Field>();
for (const [field, names] of Object.entries(ALIASES) as [Field, string[]][]) for (const n of names) LOOKUP.set(n, field);

export function normaliseHeader(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[\s_\-.:*"'()]+/g, " ")
    .trim();
}

export type HeadInfo = { delimiter: Delimiter; hasHeader: boolean; columns: ColumnMap; width: number };

/** The head parsed with a delimiter: up to 20 records, tolerant of what the split tolerates. */
function parseHead(head: string, delimiter: string): string[][] {
  // The head is cut mid-file: drop the possibly partial last line.
  const cut = head.lastIndexOf("\n");
  const text = cut > 0 ? head.slice(0, cut) : head;
  try {
    const rows = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, to: 20, skip_empty_lines: true }) as string[][];
    return rows;
  } catch {
    return [];
  }
}

/** The delimiter whose parse gives the most rows as wide as the header, wider first on ties. */
export function sniffDelimiter(head: string): { delimiter: Delimiter; rows: string[][] } {
  let best: { delimiter: Delimiter; rows: string[][]; score: number; width: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const rows = parseHead(head, delimiter);
    const width = rows[0]?.length ?? 0;
    if (width < 2) continue;
    const consistent = rows.filter((r) => r.length === width).length / rows.length;
    const score = consistent * 1000 + width;
    if (!best || score > best.score) best = { delimiter, rows, score, width };
  }
  return best ?? { delimiter: ",", rows: parseHead(head, ",") };
}

export type HeadOutcome =
  | { ok: true; info: HeadInfo }
  | { ok: false; code: "no_email_column" | "too_many_columns"; message: string };

export function readHead(head: string, maxColumns: number): HeadOutcome {
  const { delimiter, rows } = sniffDelimiter(head);
  const first = rows[0] ?? [];
  if (first.length > maxColumns) {
    return { ok: false, code: "too_many_columns", message: `The header has ${first.length} columns; at most ${maxColumns} are allowed.` };
  }
  const columns: Partial<ColumnMap> = {};
  first.forEach((cell, i) => {
    const field = LOOKUP.get(normaliseHeader(cell));
    if (field && columns[field] === undefined) columns[field] = i;
  });
  if (columns.email !== undefined) {
    return { ok: true, info: { delimiter, hasHeader: true, columns: columns as ColumnMap, width: first.length } };
  }
  // No header we know: a file of bare addresses (or addresses plus other data) has none at all.
  const known = Object.keys(columns).length > 0;
  const emailAt = first.findIndex((cell) => checkSyntax(cell).ok);
  if (!known && emailAt >= 0) {
    return { ok: true, info: { delimiter, hasHeader: false, columns: { email: emailAt }, width: first.length } };
  }
  const seen = first.slice(0, 10).map((c) => JSON.stringify(c)).join(", ");
  return {
    ok: false,
    code: "no_email_column",
    message: `No email column: name one 'email', 'e-mail', 'Email Address' or 'почта' (header seen: ${seen}).`,
  };
}
