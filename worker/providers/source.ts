// What every provider's source implements: pages of one kind of record, and (where the upstream
// allows) records asked by id. Its own module so that providers and the registry
// (sync-source.ts) both depend on it without depending on each other.
import type { SyncKind } from "../../shared/db/schema";
import type { CompanyRecord, ContactRecord, Page, RelatedRecord } from "./types";
import type { UpstreamContext } from "./upstream";

export type KindPage =
  | { kind: "contacts"; page: Page<ContactRecord> }
  | { kind: "companies"; page: Page<CompanyRecord> }
  | { kind: "conversations" | "opportunities" | "notes" | "tasks"; page: Page<RelatedRecord> };

export interface SyncSource {
  readonly kinds: readonly SyncKind[];
  pageSize(kind: SyncKind): number;
  fetch(kind: SyncKind, ctx: UpstreamContext, cursor: unknown | null, since: number | null): Promise<KindPage>;
  /**
   * Page-numbered sources: the cursor of the page after `cursor`, named before any answer says
   * that page exists (past the end it is an empty last page). Absent for cursor-chained ones.
   */
  cursorAfter?(cursor: unknown): unknown;
  /**
   * The records among `ids` upstream still has, asked by id: a full pass's reconcile deletes only
   * the candidates this does not return. Absent where asking by id costs a request per record (GHL).
   */
  present?(kind: SyncKind, ctx: UpstreamContext, ids: readonly string[]): Promise<KindPage>;
  /**
   * The contacts among `ids` upstream has now, asked by id (webhook hints that did not carry the
   * whole record): AmoCRM in `filter[id][]` batches, GoHighLevel one request per id.
   */
  contactsById(ctx: UpstreamContext, ids: readonly string[]): Promise<ContactRecord[]>;
  /** Tasks and notes of one contact, for providers without a bulk endpoint (GHL). */
  contactRelated?(ctx: UpstreamContext, contactId: string): Promise<{ tasks: RelatedRecord[]; notes: RelatedRecord[] }>;
}
