// One batch's rows → buckets: syntax first, then the split's duplicate flag, then (validated
// imports only) reserved and disposable domains and DNS. Pure but for the answers passed in.
import type { ImportMode, RowStatus } from "../../shared/db/imports";
import type { ImportRow } from "../../shared/schemas/messages-imports";
import { type EmailVerdict, type MxAnswer, type OfflineCheck, checkOffline, verdictFromMx } from "../validation/email";

export type Classified = { row: ImportRow; status: RowStatus; reason: string; hint: string | null; email: string | null; key: string | null };

/** Row verdicts that need no DNS, and the domains still to resolve. */
export function precheck(rows: ImportRow[], mode: ImportMode): { checks: (OfflineCheck | "duplicate")[]; domains: string[] } {
  const domains = new Set<string>();
  const checks = rows.map((row): OfflineCheck | "duplicate" => {
    const offline = checkOffline(row[1], { domainChecks: mode === "validated" });
    // A syntax error outranks the duplicate flag (the split flags only well-formed addresses).
    if (offline.done && offline.verdict.status === "invalid" && offline.verdict.key === null) return offline;
    if (row[7] === 1) return "duplicate";
    if (!offline.done) domains.add(offline.domain);
    return offline;
  });
  return { checks, domains: [...domains] };
}

export function classify(rows: ImportRow[], checks: (OfflineCheck | "duplicate")[], answers: Map<string, MxAnswer>): Classified[] {
  return rows.map((row, i) => {
    const check = checks[i] ?? "duplicate";
    if (check === "duplicate") return { row, status: "duplicate", reason: "duplicate", hint: null, email: null, key: null };
    let verdict: EmailVerdict;
    if (check.done) verdict = check.verdict;
    else verdict = verdictFromMx(check, answers.get(check.domain) ?? { kind: "dns_error", detail: "bad_response" });
    return { row, status: verdict.status, reason: verdict.reason, hint: verdict.hint, email: verdict.email, key: verdict.key };
  });
}

/** Every row in the error bucket (a batch that exhausted its retries). */
export function allErrors(rows: ImportRow[], reason: string): Classified[] {
  return rows.map((row) => ({ row, status: "error", reason, hint: null, email: null, key: null }));
}
