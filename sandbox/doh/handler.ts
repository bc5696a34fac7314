// DNS-over-HTTPS, JSON flavour (as Cloudflare and Google serve it): GET /dns-query?name=&type=
// with accept: application/dns-json → {Status, TC, RD, RA, AD, CD, Question, Answer}.
// Stateless, answered from the seeded table in domains.ts whatever the host name.
import { DOMAINS, RR_TYPE } from "./domains";

type Answer = { name: string; type: number; TTL: number; data: string };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/dns-json" } });
}

function typeNumber(raw: string | null): number | null {
  if (raw === null) return RR_TYPE.A ?? 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  return RR_TYPE[raw.toUpperCase()] ?? null;
}

export async function handleDoh(request: Request): Promise<Response> {
  if (request.method !== "GET") return json({ error: "only GET with ?name=&type= is served" }, 405);
  const url = new URL(request.url);
  const rawName = url.searchParams.get("name");
  const type = typeNumber(url.searchParams.get("type"));
  if (!rawName || type === null) return json({ error: "name and a known type are required" }, 400);
  const name = rawName.toLowerCase().replace(/\.$/, "");
  const seeded = DOMAINS[name];
  if (seeded?.delayMs) await new Promise((r) => setTimeout(r, seeded.delayMs));
  const question = [{ name: `${name}.`, type }];
  const flags = { TC: false, RD: true, RA: true, AD: false, CD: false };
  if (!seeded) return json({ Status: 3, ...flags, Question: question });
  if (seeded.rcode) return json({ Status: seeded.rcode, ...flags, Question: question });
  const ttl = seeded.ttl ?? 300;
  const data = type === RR_TYPE.MX ? seeded.mx : type === RR_TYPE.A ? seeded.a : type === RR_TYPE.AAAA ? seeded.aaaa : undefined;
  const answer: Answer[] = (data ?? []).map((d) => ({ name: `${name}.`, type, TTL: ttl, data: d }));
  return json({ Status: 0, ...flags, Question: question, ...(answer.length ? { Answer: answer } : {}) });
}
