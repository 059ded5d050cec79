import { useEffect, useRef, useState, type FormEvent } from "react";
import type { SsoInfo } from "../../bindings/SsoInfo";
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
  /** What a server said about single sign-on, kept with its address. */
  const [ssoAnswer, setSsoAnswer] = useState<{ url: string; info: SsoInfo } | null>(null);
  const sso = ssoAnswer?.url === serverUrl.trim() ? ssoAnswer.info : null;
  /** The provider's address while waiting for the browser to come back. */
  const [ssoUrl, setSsoUrl] = useState<string | null>(null);
  const ssoCancelled = useRef(false);

  // Ask the server typed in (once typing pauses) whether it offers single sign-on.
  useEffect(() => {
    const url = serverUrl.trim();
    if (!url) return;
    let current = true;
    const timer = setTimeout(() => {
      call("sso_info", { server_url: url })
        .then((info) => current && setSsoAnswer({ url, info }))
        .catch(() => current && setSsoAnswer(null));
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [serverUrl]);

  async function signInWithSso() {
    setSubmitting(true);
    setError(null);
    setUnsent(false);
    ssoCancelled.current = false;
    try {
      const started = await call("start_sso", { server_url: serverUrl.trim() });
      setSsoUrl(started.authorize_url);
      const session = await call("finish_sso", { discard_unsent: false });
      onSignedIn(session);
    } catch (err) {
      if (!ssoCancelled.current) setError(toIpcError(err).message);
      setSsoUrl(null);
      setSubmitting(false);
    }
  }

  function cancelSso() {
    ssoCancelled.current = true;
    void call("cancel_sso", null);
  }

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
          {submitting && !ssoUrl ? t("login.submitting") : t("login.submit")}
        </Button>

        {sso?.enabled && !ssoUrl && (
          <Button id="sign-in-sso" type="button" disabled={submitting} onClick={() => void signInWithSso()}>
            {sso.label ? t("login.ssoWith", { label: sso.label }) : t("login.sso")}
          </Button>
        )}
        {ssoUrl && (
          <div id="sso-waiting" className="sso-waiting" role="status">
            <p>{t("login.ssoWaiting")}</p>
            <label htmlFor="sso-url">{t("login.ssoCopy")}</label>
            <input id="sso-url" readOnly value={ssoUrl} dir="ltr" onFocus={(e) => e.target.select()} />
            <Button id="sso-cancel" type="button" onClick={cancelSso}>
              {t("login.ssoCancel")}
            </Button>
          </div>
        )}
      </form>
    </main>
  );
}
