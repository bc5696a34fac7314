// Notes and tasks of an account, derived from its contacts and companies in one seeded stream.
// Ids ascend in generation order, so the arrays come out already sorted by id.
import { intBelow, pick, rngFor, type Rng } from "../../data/prng";
import { CALL_SOURCES, NOTE_TEXTS, SERVICES, TASK_TEXTS, USER_IDS } from "./catalog";
import { apiBase, SEED_EPOCH_S, stamps, type GenerateSpec } from "./basics";
import { formatRu } from "./phones";
import type { AccountActivity, AmoCompany, AmoContact, AmoNote, AmoTask, Entity, NoteParams, NoteType, TaskEntityType } from "./types";

const DAY_S = 86_400;

class IdSeq {
  constructor(private next: number, private readonly rng: Rng) {}
  take(): number { const id = this.next; this.next += 1 + intBelow(this.rng, 3); return id; }
}

function noteParams(rng: Rng, type: NoteType): NoteParams {
  if (type === "common") return { text: pick(rng, NOTE_TEXTS) };
  if (type === "service_message") return { text: "Новое сообщение в WhatsApp", service: pick(rng, SERVICES) };
  const digits = `9${String(intBelow(rng, 1_000_000_000)).padStart(9, "0")}`;
  return { phone: formatRu(digits, intBelow(rng, 5)), duration: intBelow(rng, 900), uniq: `call-${digits}-${intBelow(rng, 1e6)}`,
    source: pick(rng, CALL_SOURCES) };
}

function noteType(rng: Rng): NoteType {
  const r = rng();
  return r < 0.5 ? "common" : r < 0.65 ? "call_in" : r < 0.85 ? "call_out" : "service_message";
}

function notesOf(rng: Rng, spec: GenerateSpec, seq: IdSeq, path: string, owner: Entity, max: number, out: AmoNote[]): void {
  for (let n = intBelow(rng, max + 1); n > 0; n--) {
    const id = seq.take();
    const type = noteType(rng);
    const { created, updated } = stamps(rng, owner.created_at);
    const by = pick(rng, USER_IDS);
    out.push({
      id, entity_id: owner.id, created_by: by, updated_by: by, created_at: created, updated_at: updated,
      responsible_user_id: owner.responsible_user_id, group_id: 0, note_type: type, params: noteParams(rng, type),
      account_id: spec.accountId, _links: { self: { href: `${apiBase(spec.subdomain)}/${path}/${owner.id}/notes/${id}` } },
    });
  }
}

function task(rng: Rng, spec: GenerateSpec, id: number, type: TaskEntityType, entityId: number, notBefore: number): AmoTask {
  const { created, updated } = stamps(rng, notBefore);
  const till = created + intBelow(rng, 14 * DAY_S);
  const done = till < SEED_EPOCH_S && rng() < 0.7;
  return {
    id, created_by: pick(rng, USER_IDS), updated_by: pick(rng, USER_IDS), created_at: created, updated_at: updated,
    responsible_user_id: pick(rng, USER_IDS), group_id: 0, entity_id: entityId, entity_type: type,
    duration: rng() < 0.5 ? 0 : 1800, is_completed: done, task_type_id: 1 + intBelow(rng, 2), text: pick(rng, TASK_TEXTS),
    result: done ? { text: "Сделано" } : [], complete_till: till, account_id: spec.accountId,
    _links: { self: { href: `${apiBase(spec.subdomain)}/tasks/${id}` } },
  };
}

export function generateActivity(spec: GenerateSpec, contacts: AmoContact[], companies: AmoCompany[]): AccountActivity {
  const rng = rngFor(spec.seed, spec.subdomain, "amocrm-activity");
  const contactNotes: AmoNote[] = [];
  const contactSeq = new IdSeq(40_000_000 + intBelow(rng, 1000), rng);
  for (const c of contacts) notesOf(rng, spec, contactSeq, "contacts", c, 4, contactNotes);
  const companyNotes: AmoNote[] = [];
  const companySeq = new IdSeq(47_000_000 + intBelow(rng, 1000), rng);
  for (const co of companies) notesOf(rng, spec, companySeq, "companies", co, 3, companyNotes);

  const tasks: AmoTask[] = [];
  const taskSeq = new IdSeq(60_000_000 + intBelow(rng, 1000), rng);
  for (const c of contacts) {
    for (let n = intBelow(rng, 4); n > 0; n--) tasks.push(task(rng, spec, taskSeq.take(), "contacts", c.id, c.created_at));
  }
  for (const co of companies) {
    for (let n = intBelow(rng, 3); n > 0; n--) tasks.push(task(rng, spec, taskSeq.take(), "companies", co.id, co.created_at));
  }
  // Lead tasks only exist so the entity_type filter has something to leave out.
  for (let n = Math.ceil(contacts.length / 10); n > 0; n--) {
    tasks.push(task(rng, spec, taskSeq.take(), "leads", 30_000_000 + intBelow(rng, 1_000_000), SEED_EPOCH_S - 365 * DAY_S));
  }
  return { contactNotes, companyNotes, tasks };
}
