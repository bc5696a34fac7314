// Entry: take the token out of the URL (or start asking the parent frame for one) before anything
// else runs, then render.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { startSession } from "./auth";
import { App } from "./components/App";
import { SessionGate } from "./embed/SessionGate";
import { lang } from "./i18n";
import "./styles.css";

const pending = startSession();
document.documentElement.lang = lang;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SessionGate pending={pending} render={(session) => <App session={session} />} />
    </StrictMode>,
  );
}
