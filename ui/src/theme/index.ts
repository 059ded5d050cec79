import { useSyncExternalStore } from "react";
import { readPreference, writePreference } from "../components/preferences";
import { themes, TOKEN_NAMES, type ThemeName } from "./tokens";

export type { ThemeName };

const STORAGE_KEY = "switchboard.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

const listeners = new Set<() => void>();

function saved(): ThemeName | null {
  const value = readPreference(STORAGE_KEY);
  return value === "light" || value === "dark" ? value : null;
}

function systemTheme(): ThemeName {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

let current: ThemeName = saved() ?? systemTheme();

export function getTheme(): ThemeName {
  return current;
}

/** Both themes as CSS rules: each token becomes a variable under html[data-theme]. */
export function themeStylesheet(): string {
  return (Object.keys(themes) as ThemeName[])
    .map((name) => {
      const vars = TOKEN_NAMES.map((token) => `  --${token}: ${themes[name][token]};`).join("\n");
      return `:root[data-theme="${name}"] {\n${vars}\n  color-scheme: ${name};\n}`;
    })
    .join("\n");
}

function apply(): void {
  if (typeof document === "undefined") return;
  document.documentElement.dataset.theme = current;
  for (const listener of [...listeners]) listener();
}

/**
 * Writes the theme variables into the page and applies the saved theme, or the system's until
 * the user picks one (following the system as it changes, e.g. at sunset).
 */
export function installTheme(): void {
  if (typeof document === "undefined") return;
  let style = document.getElementById("theme-tokens");
  if (!style) {
    style = document.createElement("style");
    style.id = "theme-tokens";
    document.head.prepend(style);
  }
  style.textContent = themeStylesheet();
  if (typeof matchMedia === "function") {
    matchMedia(DARK_QUERY).addEventListener?.("change", () => {
      if (saved()) return;
      current = systemTheme();
      apply();
    });
  }
  apply();
}

/** Switches the theme and remembers the choice; the system's preference no longer applies. */
export function setTheme(theme: ThemeName): void {
  writePreference(STORAGE_KEY, theme);
  current = theme;
  apply();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): ThemeName {
  return useSyncExternalStore(subscribe, getTheme, getTheme);
}
