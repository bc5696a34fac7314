// The widget: toolbar (search, columns), sync bar, the virtualized contacts table, and the side
// panels (a running sync's progress, sync runs, CSV import) and contact drawer, which load lazily
// after the first rows. Data comes through TanStack Query (api/query-client.ts, hooks/).
import { useQueryClient } from "@tanstack/react-query";
import type { SortingState } from "@tanstack/react-table";
import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Contact } from "../../../shared/schemas/contacts";
import { hasScope } from "../../../shared/schemas/scopes";
import { type ApiError, createApi } from "../api/client";
import { dismissPreview } from "../boot/handoff";
import type { Session } from "../auth";
import { useContacts } from "../hooks/useContacts";
import { useDebounced } from "../hooks/useDebounced";
import { useSyncStatus } from "../hooks/useSyncStatus";
import { useTableLayout } from "../hooks/useTableLayout";
import { t } from "../i18n";
import { readClaims } from "../session/claims";
import { DEFAULT_SORTING } from "../table/sorting";
import { ColumnMenu } from "./ColumnMenu";
import { ContactsTable } from "./ContactsTable";
import { SearchBox } from "./SearchBox";
import { EmptyMessage, ErrorMessage, LoadingMessage } from "./StateMessage";
import { SyncPanel } from "./sync/SyncPanel";

const ContactDrawer = lazy(() => import("./drawer/ContactDrawer"));
// Shown only while a sync runs.
const SyncProgress = lazy(() => import("./sync/SyncProgress"));
const SyncRuns = lazy(() => import("./sync/SyncRuns"));
const ImportPanel = lazy(() => import("./imports/ImportPanel"));
// The admin screen: the upstream connection (admin scope only).
const ConnectionsPanel = lazy(() => import("./connections/Panel"));

const NO_TOKEN: ApiError = { status: 401, code: "unauthorized", message: t.unauthorized };

type Props = {
  session: Session;
  /** The API answered 401: the token expired or was revoked (a host-given one can be renewed). */
  onTokenRefused?: () => void;
};

export function App({ session, onTokenRefused }: Props) {
  const claims = useMemo(() => readClaims(session.token), [session.token]);
  const locationId = session.locationId ?? claims.loc[0] ?? null;
  // Only what the token may do is offered (the Worker checks every call anyway).
  const canSync = hasScope(claims.scope, "sync");
  const canImport = hasScope(claims.scope, "import");
  const isAdmin = hasScope(claims.scope, "admin");
  // Every 401 (list, sync status, imports) reports the token as refused; the session may renew it.
  const refusedRef = useRef(onTokenRefused);
  useLayoutEffect(() => {
    refusedRef.current = onTokenRefused;
  });
  const api = useMemo(
    () => (session.token ? createApi(session.token, session.locationId, { onRefused: () => refusedRef.current?.() }) : null),
    [session.token, session.locationId],
  );
  const layout = useTableLayout(claims.sub, locationId ?? "default");

  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const table = useMemo(() => ({ search: q, sorting }), [q, sorting]);
  const list = useContacts(api, session.locationId, table);
  const [open, setOpen] = useState<Contact | null>(null);
  // The first rows come first: the side panels, their chunks and the sync-status poll start only
  // once the first page has answered, so they do not compete with it (bench:web).
  const [booted, setBooted] = useState(false);
  useEffect(() => {
    if (list.status !== "loading") setBooted(true);
  }, [list.status]);
  // The boot preview (boot/preview.ts) gives way in the commit that shows our own rows or error.
  useLayoutEffect(() => {
    if (list.status !== "loading" || !api) dismissPreview();
  }, [list.status, api]);

  const client = useQueryClient();
  const { refresh: reloadList, pages } = list;
  const onSyncFinished = useCallback(() => {
    // Only reload rows the user has not scrolled past the first page of; otherwise offer it.
    if (pages <= 1) reloadList();
  }, [pages, reloadList]);
  const sync = useSyncStatus(api, locationId, booted, onSyncFinished);

  // A renewed token (embed/SessionGate.tsx) keeps every cached answer: the keys hold no token, and
  // queries read with whatever client is current. Only what the old token was refused is asked again.
  useEffect(() => {
    if (api) void client.refetchQueries({ predicate: (q) => q.state.error?.status === 401 && !q.state.fetchMeta?.fetchMore });
  }, [api, client]);

  const error = api ? list.error : NO_TOKEN;
  const hasRows = list.contacts.length > 0;

  let footer = null;
  if (error && hasRows) footer = <ErrorMessage error={error} onRetry={list.refresh} />;
  else if (list.status === "ready" && !hasRows) footer = <EmptyMessage query={q} />;
  else if (list.loadingMore) footer = <LoadingMessage text={t.loadingMore} />;
  else if (list.loadMoreError) footer = <ErrorMessage error={list.loadMoreError} onRetry={list.retryMore} />;

  return (
    <main
      className="widget"
      data-q={list.shownQuery?.q}
      data-sort={list.shownQuery?.sort}
      data-order={list.shownQuery?.order}
    >
      <header className="toolbar">
        <h1 className="title">{t.title}</h1>
        <SearchBox value={search} onChange={setSearch} />
        <ColumnMenu layout={layout} />
      </header>
      {api && (
        <SyncPanel
          badge={sync.badge}
          status={sync.status}
          total={list.total}
          starting={sync.starting}
          startError={sync.startError}
          onRefresh={canSync ? () => void sync.refresh() : null}
          newerAvailable={list.newerAvailable}
          onReload={list.refresh}
        />
      )}
      <div className="layout">
        <div className="table-area">
          {error && !hasRows ? (
            <ErrorMessage error={error} onRetry={list.refresh} />
          ) : list.status === "loading" && !hasRows ? (
            <LoadingMessage />
          ) : (
            <ContactsTable
              contacts={list.contacts}
              sorting={sorting}
              onSortingChange={setSorting}
              layout={layout}
              onNearEnd={list.loadMore}
              onOpen={setOpen}
              listVersion={list.listVersion}
              totalRows={list.total ?? 0}
              busy={list.status === "loading" || list.loadingMore}
              footer={footer}
            />
          )}
        </div>
        {api && locationId && booted && (
          <aside className="side">
            {sync.status?.syncing && (
              <Suspense fallback={null}>
                <SyncProgress runs={sync.status.runs} samples={sync.samples} limit={sync.status.rate_limit_rps} />
              </Suspense>
            )}
            <Suspense fallback={<LoadingMessage text={t.runs.loading} />}>
              <SyncRuns api={api} locationId={locationId} syncing={sync.badge.state === "syncing"} limit={sync.status?.rate_limit_rps ?? null} />
            </Suspense>
            {canImport && (
              <Suspense fallback={null}>
                <ImportPanel api={api} locationId={session.locationId} />
              </Suspense>
            )}
            {isAdmin && (
              <Suspense fallback={null}>
                <ConnectionsPanel api={api} />
              </Suspense>
            )}
          </aside>
        )}
      </div>
      {open && api && (
        <Suspense fallback={null}>
          <ContactDrawer key={open.id} api={api} locationId={session.locationId} contact={open} onClose={() => setOpen(null)} />
        </Suspense>
      )}
    </main>
  );
}
