import { useState, type FormEvent } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { LanguagePicker } from "../../components/LanguagePicker";
import { ThemeToggle } from "../../components/ThemeToggle";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

type Props = {
  /** Previous server, so a returning agent only types credentials. */
  initialServerUrl: string | null;
  onSignedIn: (session: SessionInfo) => void;
};

export function LoginScreen({ initialServerUrl, onSignedIn }: Props) {
  const [serverUrl, setServerUrl] = useState(initialServerUrl ?? "");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Signing in as this user would delete another user's unsent replies. */
  const [unsent, setUnsent] = useState(false);

  async function signIn(discardUnsent = false) {
    setSubmitting(true);
    setError(null);
    setUnsent(false);
    try {
      const request = { server_url: serverUrl.trim(), username: username.trim(), password };
      const session = await call(discardUnsent ? "sign_in_discarding_unsent" : "sign_in", request);
      onSignedIn(session);
    } catch (err) {
      const failure = toIpcError(err);
      setError(failure.message);
      setUnsent(failure.code === "unsent_replies");
      setSubmitting(false);
    }
  }

  function handleSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault(); // a real form submit would navigate the webview
    if (!submitting) void signIn();
  }

  return (
    <main className="login-screen">
      <form className="login-card" onSubmit={handleSubmit} aria-labelledby="login-title">
        <div className="preferences login-preferences">
          <LanguagePicker />
          <ThemeToggle />
        </div>
        <h1 id="login-title">{t("login.title")}</h1>
        <p className="login-subtitle">{t("login.subtitle")}</p>

        <label htmlFor="server-url">{t("login.serverUrl")}</label>
        <input
          id="server-url"
          // Not type="url": the core normalises host-only input, which the
          // browser's own URL validation would reject.
          inputMode="url"
          autoComplete="url"
          spellCheck={false}
          placeholder={t("login.serverUrlPlaceholder")}
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          required
        />

        <label htmlFor="username">{t("login.username")}</label>
        <input
          id="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoFocus={Boolean(initialServerUrl)}
          required
        />

        <label htmlFor="password">{t("login.password")}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />

        {error && (
          <p id="login-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        {unsent && (
          <Button id="sign-in-discarding" type="button" disabled={submitting} onClick={() => void signIn(true)}>
            {t("login.discardUnsent")}
          </Button>
        )}

        <Button id="sign-in" type="submit" variant="primary" disabled={submitting}>
          {submitting ? t("login.submitting") : t("login.submit")}
        </Button>
      </form>
    </main>
  );
}
