// Related records: conversations and opportunities per location, tasks and notes per contact.
// Each has its own PRNG stream so changing one generator never reshuffles the others.
import { DEAL_PRODUCTS, MESSAGE_BODIES, NOTE_BODIES, SOURCES, TASK_TITLES } from "./names";
import { ghlId, intBelow, pick, rngFor } from "./prng";
import { SEED_EPOCH_MS } from "./generate";
import type { ContactRec, ConversationSeed, LocationContext, OpportunitySeed, OpportunityStatus } from "./types";

/** Random instant in [from, to]; `to` below `from` collapses to `from` (contacts created after the epoch). */
function between(r: number, from: number, to: number): number {
  return to <= from ? from : from + Math.floor(r * (to - from));
}

export function generateConversations(ctx: LocationContext, contacts: readonly ContactRec[]): ConversationSeed[] {
  const rng = rngFor(ctx.seed, ctx.locationId, "conversations");
  const count = Math.floor(contacts.length / 3);
  const usedDates = new Set<number>();
  const out: ConversationSeed[] = [];
  for (let i = 0; i < count; i++) {
    const rec = contacts[intBelow(rng, contacts.length)];
    if (!rec) break;
    const byEmail = rec.c.phone === undefined || (rec.c.email !== undefined && rng() < 0.3);
    let last = between(rng(), rec.added, SEED_EPOCH_MS);
    // startAfterDate is a bare timestamp cursor, so keep lastMessageDate unique per location.
    while (usedDates.has(last)) last += 1;
    usedDates.add(last);
    out.push({
      id: ghlId(rng),
      contactId: rec.c.id,
      lastMessageBody: pick(rng, MESSAGE_BODIES),
      lastMessageType: byEmail ? "TYPE_EMAIL" : rng() < 0.8 ? "TYPE_SMS" : "TYPE_CALL",
      type: byEmail ? "TYPE_EMAIL" : "TYPE_PHONE",
      unreadCount: rng() < 0.7 ? 0 : 1 + intBelow(rng, 3),
      lastMessageDate: last,
      dateAdded: between(rng(), rec.added, last),
    });
  }
  return out;
}

const STATUSES: readonly [OpportunityStatus, number][] = [["open", 0.55], ["won", 0.75], ["lost", 0.95], ["abandoned", 1]];

export function generateOpportunities(ctx: LocationContext, contacts: readonly ContactRec[]): OpportunitySeed[] {
  const rng = rngFor(ctx.seed, ctx.locationId, "opportunities");
  const count = Math.floor(contacts.length / 4);
  const out: OpportunitySeed[] = [];
  for (let i = 0; i < count; i++) {
    const rec = contacts[intBelow(rng, contacts.length)];
    if (!rec) break;
    const pipeline = pick(rng, ctx.pipelines);
    const roll = rng();
    const status = STATUSES.find(([, upTo]) => roll < upTo)?.[0] ?? "open";
    const createdAt = between(rng(), rec.added, SEED_EPOCH_MS);
    out.push({
      id: ghlId(rng),
      contactId: rec.c.id,
      name: `${rec.c.companyName ?? rec.c.contactName} - ${pick(rng, DEAL_PRODUCTS)}`,
      monetaryValue: 100 + intBelow(rng, 500) * 50,
      pipelineId: pipeline.id,
      pipelineStageId: pick(rng, pipeline.stages),
      assignedTo: pick(rng, ctx.users),
      status,
      source: pick(rng, SOURCES),
      createdAt,
      updatedAt: between(rng(), createdAt, SEED_EPOCH_MS),
    });
  }
  return out;
}

export interface GhlTask {
  id: string; title: string; body: string; assignedTo: string; dueDate: string; completed: boolean; contactId: string;
}
export interface GhlNote { id: string; body: string; userId: string; dateAdded: string; contactId: string }

/** 0-3 tasks, derived from the contact id alone, so they need no storage. */
export function tasksFor(ctx: LocationContext, rec: ContactRec): GhlTask[] {
  const rng = rngFor(ctx.seed, ctx.locationId, rec.c.id, "tasks");
  return Array.from({ length: intBelow(rng, 4) }, () => {
    const title = pick(rng, TASK_TITLES);
    const due = rec.added + intBelow(rng, 120) * 86_400_000;
    return {
      id: ghlId(rng),
      title,
      body: `${title} for ${rec.c.contactName}`,
      assignedTo: pick(rng, ctx.users),
      dueDate: new Date(due).toISOString(),
      completed: due < SEED_EPOCH_MS && rng() < 0.6,
      contactId: rec.c.id,
    };
  });
}

export function notesFor(ctx: LocationContext, rec: ContactRec): GhlNote[] {
  const rng = rngFor(ctx.seed, ctx.locationId, rec.c.id, "notes");
  return Array.from({ length: intBelow(rng, 4) }, () => ({
    id: ghlId(rng),
    body: pick(rng, NOTE_BODIES),
    userId: pick(rng, ctx.users),
    dateAdded: new Date(between(rng(), rec.added, SEED_EPOCH_MS)).toISOString(),
    contactId: rec.c.id,
  }));
}
