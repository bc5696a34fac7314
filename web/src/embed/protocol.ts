// The messages between the widget (iframe) and its host page. Two families:
// - ours (`type: "crm-edge:*"`), spoken by web/public/embed.js or any host that implements it:
//     widget → host  {type:"crm-edge:hello"}                 "I am up, send me a token"
//     host → widget  {type:"crm-edge:token", token, location_id?}
//     widget → host  {type:"crm-edge:height", height}        document height in CSS px, on change
// - GoHighLevel custom pages (`message: …`), spoken by GHL's own parent frame:
//     widget → GHL   {message:"REQUEST_USER_DATA"}
//     GHL → widget   {message:"REQUEST_USER_DATA_RESPONSE", payload:<encrypted string>}

export const HELLO = "crm-edge:hello";
export const TOKEN = "crm-edge:token";
export const HEIGHT = "crm-edge:height";
export const GHL_REQUEST = "REQUEST_USER_DATA";
export const GHL_RESPONSE = "REQUEST_USER_DATA_RESPONSE";

export type TokenMessage = { type: typeof TOKEN; token: string; location_id?: string | null };
export type GhlResponse = { message: typeof GHL_RESPONSE; payload: string };

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

export function asTokenMessage(data: unknown): TokenMessage | null {
  const m = record(data);
  if (!m || m.type !== TOKEN || typeof m.token !== "string" || m.token.length === 0) return null;
  const loc = m.location_id;
  if (loc !== undefined && loc !== null && typeof loc !== "string") return null;
  return { type: TOKEN, token: m.token, location_id: loc ?? null };
}

export function asGhlResponse(data: unknown): GhlResponse | null {
  const m = record(data);
  if (!m || m.message !== GHL_RESPONSE || typeof m.payload !== "string" || m.payload.length === 0) return null;
  return { message: GHL_RESPONSE, payload: m.payload };
}
