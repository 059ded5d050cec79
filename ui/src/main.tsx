import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { applyLocaleToDocument } from "./i18n";
import "./styles.css";
import { installTheme } from "./theme";

const root = document.getElementById("root");
if (!root) throw new Error("index.html is missing #root");

// Before the first render, so the first frame already has the agent's language, direction and theme.
applyLocaleToDocument();
installTheme();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
