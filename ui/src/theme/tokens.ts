// The colours of both themes. The stylesheet only refers to these as CSS variables
// (var(--text)); theme/index.ts writes them into the page, and theme.test.ts checks every
// pair in CONTRAST_PAIRS against WCAG AA, so a colour change that makes text unreadable
// fails the tests instead of shipping.

export type ThemeName = "light" | "dark";

export const TOKEN_NAMES = [
  "bg",
  "surface",
  "surface-muted",
  "border",
  "control-border",
  "text",
  "text-muted",
  "accent",
  "accent-fill",
  "accent-fill-hover",
  "accent-strong",
  "accent-contrast",
  "accent-soft",
  "header-bg",
  "header-text",
  "header-chip",
  "bubble-in",
  "bubble-out",
  "tick-read",
  "danger",
  "danger-soft",
  "danger-fill",
  "caution",
  "caution-soft",
  "hit",
  "hit-warn",
  "hit-mask",
  "presence-online",
  "presence-away",
  "presence-offline",
  "connection-online",
  "connection-connecting",
  "connection-offline",
  "focus",
  "shadow",
] as const;

export type TokenName = (typeof TOKEN_NAMES)[number];

export const themes: Record<ThemeName, Record<TokenName, string>> = {
  light: {
    bg: "#f4f6f6",
    surface: "#ffffff",
    "surface-muted": "#eef1f1",
    border: "#d5dcdb", // separators only; controls use control-border
    "control-border": "#7b8986",
    text: "#1c2624",
    "text-muted": "#55625f",
    accent: "#128c7e", // brand teal: indicators and borders, never small text
    "accent-fill": "#0f7a6e", // surfaces carrying small white text
    "accent-fill-hover": "#0b6b60",
    "accent-strong": "#0b6b60", // teal text on light surfaces
    "accent-contrast": "#ffffff",
    "accent-soft": "#e3f4f1",
    "header-bg": "#0f7a6e",
    "header-text": "#ffffff",
    "header-chip": "#0b6b60", // pills in the header: a deeper teal, so white text stays readable
    "bubble-in": "#ffffff",
    "bubble-out": "#d9f3ee",
    "tick-read": "#1769c2",
    danger: "#b3261e",
    "danger-soft": "#fdecea",
    "danger-fill": "#b3261e",
    caution: "#7a5300",
    "caution-soft": "#fff4d6",
    hit: "#ffc9c4",
    "hit-warn": "#ffe49a",
    "hit-mask": "#d5dcdb",
    // Presence dots sit beside words (never colour alone): available, away, offline.
    "presence-online": "#1e9e4a",
    "presence-away": "#d98e04",
    "presence-offline": "#8a9694",
    "connection-online": "#8ff0a4",
    "connection-connecting": "#ffd166",
    "connection-offline": "#c3cbca",
    focus: "#0a58ca",
    shadow: "rgb(0 0 0 / 0.08)",
  },
  dark: {
    bg: "#0e1413",
    surface: "#172120",
    "surface-muted": "#212c2b",
    border: "#33413f",
    "control-border": "#748582",
    text: "#e3ebe9",
    "text-muted": "#a3b2af",
    accent: "#2bb3a0",
    "accent-fill": "#0f7a6e",
    "accent-fill-hover": "#0b6b60",
    "accent-strong": "#6fd6c5",
    "accent-contrast": "#ffffff",
    "accent-soft": "#15332f",
    "header-bg": "#0d4a43",
    "header-text": "#ffffff",
    "header-chip": "#0a3733",
    "bubble-in": "#1e2a29",
    "bubble-out": "#134039",
    "tick-read": "#6cb4ff",
    danger: "#ff8f85",
    "danger-soft": "#3a1b19",
    "danger-fill": "#b3261e",
    caution: "#f2c766",
    "caution-soft": "#33290f",
    hit: "#7c2b25",
    "hit-warn": "#6a5212",
    "hit-mask": "#45524f",
    "presence-online": "#3ecf6e",
    "presence-away": "#f0a829",
    "presence-offline": "#7d8a87",
    "connection-online": "#8ff0a4",
    "connection-connecting": "#ffd166",
    "connection-offline": "#c3cbca",
    focus: "#7cb3ff",
    shadow: "rgb(0 0 0 / 0.4)",
  },
};

/**
 * Foreground and background tokens that meet, with the minimum ratio WCAG AA asks:
 * 4.5 for text, 3 for focus rings, control borders and the icons that carry meaning.
 */
export const CONTRAST_PAIRS: readonly [foreground: TokenName, background: TokenName, minimum: number][] = [
  ["text", "bg", 4.5],
  ["text", "surface", 4.5],
  ["text", "surface-muted", 4.5],
  ["text", "accent-soft", 4.5], // the selected inbox row
  ["text", "bubble-in", 4.5],
  ["text", "bubble-out", 4.5],
  ["text", "hit", 4.5], // a highlighted filter match in the reply box
  ["text", "hit-warn", 4.5],
  ["text", "hit-mask", 4.5],
  ["text-muted", "bg", 4.5],
  ["text-muted", "surface", 4.5],
  ["text-muted", "surface-muted", 4.5],
  ["text-muted", "accent-soft", 4.5], // preview and time in the selected inbox row
  ["text-muted", "bubble-in", 4.5], // message times
  ["text-muted", "bubble-out", 4.5],
  ["accent-strong", "surface", 4.5], // business names, senders, the chosen header pill
  ["accent-strong", "accent-soft", 4.5], // notice banner buttons
  ["accent-contrast", "accent-fill", 4.5], // primary buttons, unread badges
  ["accent-contrast", "accent-fill-hover", 4.5],
  ["header-text", "header-bg", 4.5], // also the header's focus ring
  ["header-text", "header-chip", 4.5], // connection state, availability and view pills
  ["accent-contrast", "danger-fill", 4.5], // alert badge
  ["danger", "surface", 4.5],
  ["danger", "danger-soft", 4.5],
  ["danger", "bg", 4.5],
  ["caution", "caution-soft", 4.5],
  ["tick-read", "bubble-out", 3],
  ["focus", "surface", 3],
  ["focus", "bg", 3],
  ["control-border", "surface", 3],
];
