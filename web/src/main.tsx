// Entry: take the token out of the URL before anything else runs, then render.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { takeSessionFromUrl } from "./auth";
import { App } from "./components/App";
import { lang } from "./i18n";
import "./styles.css";

const session = takeSessionFromUrl();
document.documentElement.lang = lang;

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App session={session} />
    </StrictMode>,
  );
}
