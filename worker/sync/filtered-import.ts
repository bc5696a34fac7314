// AmoCRM's filtered import: the companies matching a filter (responsible user + custom field
// value), their contacts, and those contacts' notes and tasks (what is asked: filtered-fetch.ts).
// It runs inside one queue message with no pages to checkpoint, so it keeps its lease alive
// itself: renewed before requests (a quarter of the lease after the last renewal) and with every
// write. What it reads is written in chunks as it arrives (a batch per ~1,000 rows: the reads for
// the created/updated counts, contact_count increments, upserts, and the lease renewal that
// proves the lease is still ours); a dry run writes nothing but those reads. If the lease is
// lost, the import stops where it is and finishes nothing. A crash repeats it from the start;
// the newer-wins upserts make the repeat change nothing twice.
import { sql } from "drizzle-orm";
import { type SyncRunRow, syncRuns } from "../../shared/db/schema";
import { companyFilterSchema, type CompanyFilter } from "../../shared/schemas/amocrm";
import { recordSuccess } from "../db/location-sync";
import { AMO_PAGE } from "../providers/amocrm/client";
import { amoClientFor, phoneRegion } from "../providers/sync-source";
import { UpstreamError, type UpstreamContext } from "../providers/upstream";
import { countBecomingLive } from "../db/contact-counts";
import type { DriveOutcome, SyncDeps, Upstream } from "./driver";
import { type Chunk, type Lister, fetchFiltered, perEntityRequests } from "./filtered-fetch";
import { LeaseKeeper, LeaseLostError } from "./lease-keeper";
import { logRunEnd, mergeMetrics, readMetrics, summarise } from "./metrics";
import { leaseHeld } from "./runs";
import { type Statement, type Written, readOnly, writeCompanies, writeContacts, writeRelated } from "./writers";

export { CONTACT_BATCH, ENTITY_BATCH, IMPORT_CONCURRENCY } from "./filtered-fetch";

/** Rows buffered before a write: few enough batches, and a batch well inside D1's limits. */
export const FLUSH_ROWS = 1000;

export type FilteredOptions = { filter: CompanyFilter; dry_run: boolean; incremental: boolean };

export function readOptions(run: SyncRunRow): FilteredOptions {
  const o = run.options ?? {};
  const filter = companyFilterSchema.safeParse(o.filter);
  if (!filter.success) throw new UpstreamError("client", "The filtered import has no valid company filter.");
  return { filter: filter.data, dry_run: o.dry_run === true, incremental: o.incremental === true };
}

type Kind = Chunk["kind"];
/** Counts per entity, for the metrics block. */
type Tally = { seen: number; matched: number; created: number; updated: number };
const KINDS: readonly Kind[] = ["companies", "contacts", "notes", "tasks"];

/** Buffers what the import reads and writes it in chunks, keeping the lease with every write. */
class ChunkWriter {
  readonly tallies = Object.fromEntries(KINDS.map((k) => [k, { seen: 0, matched: 0, created: 0, updated: 0 }])) as Record<Kind, Tally>;
  private buffer: Chunk[] = [];
  private rows = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: SyncDeps,
    private readonly run: SyncRunRow,
    private readonly keeper: LeaseKeeper,
    private readonly dryRun: boolean,
  ) {}

  async add(chunk: Chunk): Promise<void> {
    this.tallies[chunk.kind].seen += chunk.records.length;
    this.tallies[chunk.kind].matched += chunk.records.length;
    this.buffer.push(chunk);
    this.rows += chunk.records.length;
    if (this.rows >= FLUSH_ROWS) await this.flush();
  }

  /** Writes what is buffered (after any write still under way: one at a time, in order). */
  flush(): Promise<void> {
    const chunks = this.buffer;
    this.buffer = [];
    this.rows = 0;
    const job = this.writing.then(() => (chunks.length ? this.write(chunks) : undefined));
    this.writing = job.catch(() => undefined);
    return job;
  }

  private written(chunk: Chunk, at: number): Written {
    const { db } = this.deps;
    const loc = this.run.locationId;
    const w =
      chunk.kind === "companies"
        ? writeCompanies(db, loc, chunk.records, at)
        : chunk.kind === "contacts"
          ? writeContacts(db, loc, chunk.records, at)
          : writeRelated(db, chunk.kind, loc, chunk.records, at);
    return this.dryRun ? readOnly(w) : w;
  }

  private async write(chunks: Chunk[]): Promise<void> {
    const { db } = this.deps;
    const at = this.deps.now();
    const parts = chunks.map((c) => ({ kind: c.kind, w: this.written(c, at) }));
    const contactIds = this.dryRun ? [] : chunks.flatMap((c) => (c.kind === "contacts" ? c.records.map((r) => r.externalId) : []));
    const renew = db
      .update(syncRuns)
      .set({ leaseUntil: at + this.deps.config.SYNC_LEASE_SECONDS * 1000, heartbeatAt: at, progressAt: at })
      .where(sql`${syncRuns.id} = ${this.run.id} and ${syncRuns.leaseOwner} = ${this.keeper.owner} and ${syncRuns.status} = 'running'`)
      .returning({ id: syncRuns.id });
    // Reads first (they see the table before the upserts), then the count, then the upserts.
    const statements: Statement[] = [
      ...(contactIds.length ? [countBecomingLive(db, this.run.locationId, contactIds, at)] : []),
      ...parts.flatMap((p) => p.w.statements),
    ];
    const [first, ...reads] = parts.map((p) => p.w.known);
    if (!first) return;
    const results = await db.batch([first, ...reads, ...statements, renew]);
    parts.forEach((p, i) => {
      const counts = p.w.tally((results[i] ?? []) as { id: string; updated: number }[]);
      this.tallies[p.kind].created += counts.created;
      this.tallies[p.kind].updated += counts.updated;
    });
    if ((results.at(-1) as unknown[]).length === 0) throw new LeaseLostError(this.run.id);
    this.keeper.renewed(at);
  }
}

/** Drives a filtered import to its end; the caller holds the lease and books `ctx.meter` on failure. */
export async function driveFilteredImport(deps: SyncDeps, run: SyncRunRow, owner: string, upstream: Upstream, ctx: UpstreamContext): Promise<DriveOutcome> {
  if (upstream.location.provider !== "amocrm") throw new UpstreamError("client", "Filtered imports are an AmoCRM feature.");
  const options = readOptions(run);
  const client = amoClientFor(upstream.location, upstream.tokens);
  const keeper = new LeaseKeeper(deps, run.id, owner, deps.config.SYNC_LEASE_SECONDS * 1000);
  const list: Lister = async (path, entity, item, params) => {
    await keeper.beat();
    return client.list(ctx, path, entity, item, params);
  };
  const since = options.incremental ? run.since : null;
  const writer = new ChunkWriter(deps, run, keeper, options.dry_run);
  keeper.start();
  try {
    const plan = await fetchFiltered(list, client.baseUrl, options.filter, since, phoneRegion(upstream.location), (chunk) => writer.add(chunk));
    await writer.flush();
    return (await finishImport(deps, run, owner, ctx, options, since, writer.tallies, plan.contactIds.length)) ? "done" : "not_ours";
  } catch (err) {
    if (err instanceof LeaseLostError) return "not_ours";
    throw err;
  } finally {
    keeper.stop();
  }
}

/** Marks the import succeeded, only while the lease is still ours and the run still running. */
async function finishImport(
  deps: SyncDeps,
  run: SyncRunRow,
  owner: string,
  ctx: UpstreamContext,
  options: FilteredOptions,
  since: number | null,
  entities: Record<Kind, Tally>,
  contactIds: number,
): Promise<boolean> {
  const { db } = deps;
  const at = deps.now();
  const m = ctx.meter.snapshot();
  const seen = KINDS.reduce((n, k) => n + entities[k].seen, 0);
  const created = KINDS.reduce((n, k) => n + entities[k].created, 0);
  const updated = KINDS.reduce((n, k) => n + entities[k].updated, 0);
  const finished: SyncRunRow = {
    ...run,
    pagesDone: m.requests,
    entitiesSeen: seen,
    requests: run.requests + m.requests,
    throttled: run.throttled + m.throttled,
    finishedAt: at,
  };
  const companyPages = Math.max(1, Math.ceil(entities.companies.seen / AMO_PAGE));
  const summary = {
    ...summarise(finished, mergeMetrics(readMetrics(run), { created, updated }, m), at),
    dry_run: options.dry_run,
    incremental: since !== null,
    filter: options.filter,
    entities,
    per_entity_requests: perEntityRequests(companyPages, entities.companies.seen, contactIds),
  };
  const guard = leaseHeld(run.id, owner, "succeeded");
  const wroteContacts = !options.dry_run && entities.contacts.seen > 0;
  const [ended] = await db.batch([
    db
      .update(syncRuns)
      .set({
        status: "succeeded",
        pagesDone: finished.pagesDone,
        entitiesSeen: finished.entitiesSeen,
        totalEstimate: finished.entitiesSeen,
        requests: finished.requests,
        throttled: finished.throttled,
        metrics: summary,
        finishedAt: at,
        heartbeatAt: at,
        progressAt: at,
      })
      .where(sql`${syncRuns.id} = ${run.id} and ${syncRuns.leaseOwner} = ${owner} and ${syncRuns.status} = 'running'`)
      .returning({ id: syncRuns.id }),
    recordSuccess(db, run.locationId, wroteContacts ? "contacts" : "companies", at, guard),
    db.update(syncRuns).set({ leaseOwner: null, leaseUntil: null }).where(sql`${syncRuns.id} = ${run.id} and ${guard}`),
  ]);
  if (ended.length === 0) return false;
  ctx.meter.reset();
  logRunEnd(finished, "succeeded", summary);
  return true;
}
