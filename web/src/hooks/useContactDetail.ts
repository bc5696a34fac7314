// One contact with its related records (GET /api/contacts/:id). The first open of a contact may
// wait up to ~5 s while the Worker fetches its tasks and notes from the CRM.
import { useEffect, useState } from "react";
import type { ContactDetailResponse } from "../../../shared/schemas/contacts";
import type { Api, ApiError } from "../api/client";

export type DetailState =
  | { status: "loading" }
  | { status: "ready"; data: ContactDetailResponse }
  | { status: "error"; error: ApiError };

export function useContactDetail(api: Api, id: string, attempt: number): DetailState {
  const [state, setState] = useState<DetailState>({ status: "loading" });
  useEffect(() => {
    const ctrl = new AbortController();
    setState({ status: "loading" });
    void api.contact(id, { signal: ctrl.signal }).then((out) => {
      if (out.kind === "ok") setState({ status: "ready", data: out.data });
      else if (out.kind === "error") setState({ status: "error", error: out });
    });
    return () => ctrl.abort();
  }, [api, id, attempt]);
  return state;
}
