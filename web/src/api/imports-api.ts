// The import panel's calls (docs/imports.md), typed by the same hc client as the rest
// (api/client.ts); kept out of the entry chunk, they load with the panel.
import type { ImportMode } from "../../../shared/db/imports";
import { type Api, type Opts, init } from "./client";
import { type ApiError, readError, settle } from "./http";

export function importsApi({ routes: { api, loc } }: Api) {
  return {
    createList: (name: string) => settle(api.contactlists.$post({ query: loc, json: { name } })),
    importTasks: (o: Opts = {}) => settle(api.contactlists["import-tasks"].$get({ query: loc }, init(o)), o.signal),
    /** Uploads the file as the raw body (docs/imports.md): no multipart copy of a large file in memory. */
    upload(listId: string, file: File, mode: ImportMode) {
      const route = mode === "fast" ? api.contactlists[":id"]["import-fast"] : api.contactlists[":id"].import;
      // Header values must be Latin-1: a non-ASCII file name travels percent-encoded.
      const name = /^[\x20-\x7e]*$/.test(file.name) ? file.name : encodeURIComponent(file.name);
      const headers = { "Content-Type": "text/csv", "x-file-name": name };
      return settle(route.$post({ param: { id: listId }, query: loc }, { headers, init: { body: file } }));
    },
    cancelTask: (id: string) => settle(api["import-tasks"][":id"].cancel.$post({ param: { id }, query: loc })),
    resumeTask: (id: string) => settle(api["import-tasks"][":id"].resume.$post({ param: { id }, query: loc })),
    /** rejects.csv as a Blob (the bearer token rules out a plain link). */
    async rejects(id: string): Promise<{ kind: "ok"; blob: Blob } | ({ kind: "error" } & ApiError)> {
      try {
        const res = await api["import-tasks"][":id"]["rejects.csv"].$get({ param: { id }, query: loc });
        if (res.ok) return { kind: "ok", blob: await res.blob() };
        return { kind: "error", ...(await readError(res)) };
      } catch (err) {
        return { kind: "error", status: 0, code: "network_error", message: String(err) };
      }
    },
  };
}
