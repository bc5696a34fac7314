// The admin screen's connection panel (lazy chunk, shown to tokens with the admin scope): the
// location's upstream connection state, token times, the last error, and the link that installs
// or reconnects the app. Its words live here, not in the entry bundle's i18n.
import { useQuery } from "@tanstack/react-query";
import type { ConnectionState } from "../../../../shared/schemas/connections";
import type { Api } from "../../api/client";
import { dataOf, settle } from "../../api/http";
import { formatDate } from "../../i18n";
import { ErrorMessage, LoadingMessage } from "../StateMessage";

const STATE_TEXT: Record<ConnectionState, string> = {
  connected: "Connected",
  expiring: "Token expiring",
  needs_reconnect: "Reconnect needed",
  disabled: "Disconnected (app uninstalled)",
};

const PROVIDER_TEXT = { ghl: "GoHighLevel", amocrm: "AmoCRM" } as const;

export default function ConnectionsPanel({ api }: { api: Api }) {
  const { routes } = api;
  const query = useQuery({
    queryKey: ["connections", routes.loc.location_id ?? null],
    queryFn: ({ signal }) => dataOf(settle(routes.api.connections.$get({ query: routes.loc }, { init: { signal } }), signal)),
    refetchInterval: 60_000,
  });
  if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingMessage text="Loading connections…" />;
  return (
    <section className="panel connections" aria-label="Connections">
      <h2>Connections</h2>
      <ul className="connection-list">
        {query.data.connections.map((c) => (
          <li key={c.location_id} data-testid="connection" data-state={c.state} data-location={c.location_id}>
            <div className="run-head">
              <strong>{PROVIDER_TEXT[c.provider]}</strong>
              <span className={`pill pill-${c.state}`}>{STATE_TEXT[c.state]}</span>
            </div>
            <dl className="stats">
              <div><dt>Token expires</dt><dd>{c.token_expires_at ? formatDate(c.token_expires_at) : "—"}</dd></div>
              <div><dt>Last refresh</dt><dd>{c.last_refresh_at ? formatDate(c.last_refresh_at) : "—"}</dd></div>
            </dl>
            {c.last_error && <p className="muted small" data-testid="connection-error">{c.last_error}</p>}
            {c.reconnect_url && (c.state === "needs_reconnect" || c.state === "disabled" || c.state === "expiring") && (
              <a href={c.reconnect_url} target="_blank" rel="noopener noreferrer" data-testid="reconnect">Reconnect</a>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
