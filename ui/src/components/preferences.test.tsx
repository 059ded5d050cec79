import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LoginScreen } from "../features/login/LoginScreen";
import { detectLocale, setLocale, useLocale } from "../i18n";
import { installTheme, setTheme } from "../theme";

vi.mock("../ipc", () => import("../test/ipcMock"));

/** The login screen re-rendered on a language change, as App does for the whole tree. */
function Login() {
  useLocale();
  return <LoginScreen initialServerUrl={null} onSignedIn={() => undefined} />;
}

describe("language picker", () => {
  afterEach(() => setLocale("en"));

  it("switches the screen to Arabic, mirrors it and remembers the choice", async () => {
    const user = userEvent.setup();
    render(<Login />);
    expect(screen.getByRole("heading").textContent).toBe("Sign in to Switchboard");

    await user.selectOptions(screen.getByLabelText("Language"), "ar");
    expect(screen.getByRole("heading").textContent).toBe("تسجيل الدخول إلى Switchboard");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    expect(localStorage.getItem("switchboard.locale")).toBe("ar");
    // The picker names itself in the language now shown.
    expect(screen.getByLabelText("اللغة")).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("اللغة"), "th");
    expect(screen.getByRole("button", { name: "ลงชื่อเข้าใช้" })).toBeTruthy();
    expect(document.documentElement.dir).toBe("ltr");
  });

  it("starts in the system's language unless one was chosen", () => {
    const languages = vi.spyOn(navigator, "languages", "get").mockReturnValue(["th-TH", "en-US"]);
    expect(detectLocale()).toBe("th");
    languages.mockReturnValue(["fr-FR", "ar-EG"]);
    expect(detectLocale()).toBe("ar");
    languages.mockReturnValue(["de-DE"]);
    expect(detectLocale()).toBe("en");
    localStorage.setItem("switchboard.locale", "th");
    expect(detectLocale()).toBe("th");
    languages.mockRestore();
  });
});

describe("theme toggle", () => {
  afterEach(() => setTheme("light"));

  it("switches to the dark theme, writes its variables and remembers it", async () => {
    installTheme();
    const user = userEvent.setup();
    render(<Login />);
    const toggle = screen.getByRole("button", { name: "Dark theme" });
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");

    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect(localStorage.getItem("switchboard.theme")).toBe("dark");
    const css = document.getElementById("theme-tokens")?.textContent ?? "";
    expect(css).toContain(':root[data-theme="dark"]');
    expect(css).toMatch(/--text: #[0-9a-f]{6};/);
  });
});
