// Entry: take the token out of the URL (or start asking the parent frame for one) before anything
// else runs, then render (with the first page when the boot script already has it).
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { loadInitialList } from "./api/initial-list";
import { startSession } from "./auth";
import { App } from "./components/App";
import { SessionGate } from "./embed/SessionGate";
import { lang } from "./i18n";
import "./styles.css";

const pending = startSession();
document.documentElement.lang = lang;

const root = document.getElementById("root");
if (root) {
  void loadInitialList(pending).then((initialList) =>
    createRoot(root).render(
      <StrictMode>
        <SessionGate pending={pending} render={(session, onRefused) => <App session={session} initialList={initialList} onTokenRefused={onRefused} />} />
      </StrictMode>,
    ),
  );
}
