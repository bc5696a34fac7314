// Exchanges GoHighLevel's encrypted SSO payload for our token at POST /api/auth/ghl-sso. The payload
// is never decrypted here: only the Worker holds the app's shared secret.
import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";

export type Exchange =
  | { ok: true; token: string; locationId: string }
  | { ok: false; status: number; code: string; message: string };

function errorOf(status: number, body: unknown): Exchange {
  const error = typeof body === "object" && body !== null && "error" in body ? body.error : null;
  if (typeof error === "object" && error !== null && "code" in error && "message" in error &&
      typeof error.code === "string" && typeof error.message === "string") {
    return { ok: false, status, code: error.code, message: error.message };
  }
  return { ok: false, status, code: "http_error", message: `HTTP ${status}` };
}

export async function exchangeGhlPayload(payload: string): Promise<Exchange> {
  const client = hc<AppType>(window.location.origin);
  try {
    const res = await client.api.auth["ghl-sso"].$post({ json: { payload } });
    if (res.status === 200) {
      const body = await res.json();
      return { ok: true, token: body.token, locationId: body.location_id };
    }
    const status: number = res.status;
    return errorOf(status, await res.json().catch(() => null));
  } catch (err) {
    return { ok: false, status: 0, code: "network_error", message: String(err) };
  }
}
