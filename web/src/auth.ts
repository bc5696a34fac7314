// The CRM opens the widget as `/#token=…&location_id=…`. The fragment never reaches a server or a
// Referer header; we read it once and then scrub it from the address bar and history so the token
// cannot leak through copy-paste or a later navigation. It is kept in memory only (no storage).

export type Session = {
  token: string | null;
  /** Absent: the API uses the token's only location. */
  locationId: string | null;
};

export function takeSessionFromUrl(): Session {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const token = params.get("token");
  const locationId = params.get("location_id");
  if (params.has("token") || params.has("location_id")) {
    params.delete("token");
    params.delete("location_id");
    const rest = params.toString();
    const url = `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ""}`;
    window.history.replaceState(window.history.state, "", url);
  }
  return { token: token || null, locationId: locationId || null };
}
