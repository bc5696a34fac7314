// Entry: take the token out of the URL (or start asking the parent frame for one) before anything
// else runs, then render (with the first page in the query cache when the boot script has it).
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { prefetchInitialList } from "./api/initial-list";
import { createQueryClient } from "./api/query-client";
import { startSession } from "./auth";
import { App } from "./components/App";
import { SessionGate } from "./embed/SessionGate";
import { lang } from "./i18n";
import "./styles.css";

const pending = startSession();
document.documentElement.lang = lang;
const queryClient = createQueryClient();

const root = document.getElementById("root");
if (root) {
  void prefetchInitialList(queryClient, pending).then(() =>
    createRoot(root).render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <SessionGate pending={pending} render={(session, onRefused) => <App session={session} onTokenRefused={onRefused} />} />
        </QueryClientProvider>
      </StrictMode>,
    ),
  );
}
