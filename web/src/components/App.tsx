// The widget: search + status line + virtualized table, wired to one useContacts query.
import type { SortingState } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { type ApiError, createApi } from "../api/client";
import type { Session } from "../auth";
import { useContacts } from "../hooks/useContacts";
import { useDebounced } from "../hooks/useDebounced";
import { usePageVisible } from "../hooks/usePageVisible";
import { t } from "../i18n";
import { DEFAULT_SORTING, toApiSort } from "../table/sorting";
import { ContactsTable } from "./ContactsTable";
import { SearchBox } from "./SearchBox";
import { EmptyMessage, ErrorMessage, LoadingMessage } from "./StateMessage";
import { SyncStatus } from "./SyncStatus";

const NO_TOKEN: ApiError = { status: 401, code: "unauthorized", message: t.unauthorized };

export function App({ session }: { session: Session }) {
  const api = useMemo(() => (session.token ? createApi(session.token) : null), [session.token]);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const { sort, order } = toApiSort(sorting);
  const query = useMemo(() => ({ locationId: session.locationId, q, sort, order }), [session.locationId, q, sort, order]);
  const list = useContacts(api, query, usePageVisible());

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
      </header>
      {list.meta && <SyncStatus meta={list.meta} newerAvailable={list.newerAvailable} onRefresh={list.refresh} />}
      {error && !hasRows ? (
        <ErrorMessage error={error} onRetry={list.refresh} />
      ) : list.status === "loading" && !hasRows ? (
        <LoadingMessage />
      ) : (
        <ContactsTable
          contacts={list.contacts}
          sorting={sorting}
          onSortingChange={setSorting}
          onNearEnd={list.loadMore}
          listVersion={list.listVersion}
          totalRows={list.meta?.total ?? 0}
          busy={list.status === "loading" || list.loadingMore}
          footer={footer}
        />
      )}
    </main>
  );
}
