import { t } from "../i18n";
import { setTheme, useTheme } from "../theme";

/** One button: pressed means the dark theme. The icon shows the theme in force. */
export function ThemeToggle() {
  const theme = useTheme();
  const dark = theme === "dark";
  return (
    <button
      type="button"
      id="theme-toggle"
      className="theme-toggle"
      aria-pressed={dark}
      aria-label={t("preferences.darkTheme")}
      title={t("preferences.darkTheme")}
      data-theme={theme}
      onClick={() => setTheme(dark ? "light" : "dark")}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        {dark ? (
          <path d="M13.5 10.2A5.8 5.8 0 0 1 5.8 2.5a5.8 5.8 0 1 0 7.7 7.7z" fill="currentColor" />
        ) : (
          <g fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round">
            <circle cx="8" cy="8" r="3" />
            <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
          </g>
        )}
      </svg>
    </button>
  );
}
