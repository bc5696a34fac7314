// The one HTTP layer to upstream CRMs: timeout, typed errors, JSON shape checks. Issue #3 puts the
// shared token bucket (reserve → fetch → report) in front of `send`; callers will not change.
import type { z } from "zod";

export type UpstreamErrorKind = "timeout" | "network" | "rate_limited" | "server" | "client" | "auth" | "malformed" | "aborted";

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "UpstreamError";
  }

  /** Worth trying again later: the upstream was slow, busy or broken, not refusing us. */
  get retryable(): boolean {
    return this.kind !== "client" && this.kind !== "auth" && this.kind !== "aborted";
  }
}

export type UpstreamRequest = {
  url: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
};

function retryAfterMs(res: Response): number | null {
  const value = res.headers.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

async function describe(res: Response): Promise<string> {
  const text = (await res.text().catch(() => "")).slice(0, 500);
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown; title?: unknown };
    const message = body.message ?? body.detail ?? body.title;
    if (message !== undefined) return Array.isArray(message) ? message.join("; ") : String(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text || res.statusText;
}

export async function send(req: UpstreamRequest): Promise<Response> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const headers = { accept: "application/json", ...req.headers };
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? "GET",
      headers: req.body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
    });
  } catch (err) {
    if (req.signal?.aborted) throw new UpstreamError("aborted", "The request was abandoned.");
    if (timeout.aborted) throw new UpstreamError("timeout", `No answer from upstream within ${req.timeoutMs} ms.`);
    throw new UpstreamError("network", `Upstream unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.ok) return res;
  const message = await describe(res);
  if (res.status === 429) throw new UpstreamError("rate_limited", `Upstream rate limit: ${message}`, 429, retryAfterMs(res));
  if (res.status >= 500) throw new UpstreamError("server", `Upstream error ${res.status}: ${message}`, res.status);
  if (res.status === 401 || res.status === 403) {
    throw new UpstreamError("auth", `Upstream refused the credentials (${res.status}): ${message}`, res.status);
  }
  throw new UpstreamError("client", `Upstream rejected the request (${res.status}): ${message}`, res.status);
}

/** Send, then parse and check the body; a body of the wrong shape is a (retryable) upstream fault. */
export async function sendJson<T extends z.ZodType>(req: UpstreamRequest, schema: T): Promise<z.infer<T>> {
  const res = await send(req);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new UpstreamError("malformed", "Upstream sent a body that is not JSON.", res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamError("malformed", `Upstream sent an unexpected body: ${parsed.error.issues[0]?.message ?? "?"}`, res.status);
  }
  return parsed.data;
}
