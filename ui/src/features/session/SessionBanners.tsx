import { useState } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { t } from "../../i18n";

/** Offline explanation and the one-off session notice (e.g. token kept in a file). */
export function SessionBanners({ session }: { session: SessionInfo }) {
  // Remembering the dismissed text (not a boolean) lets a different notice reappear.
  const [dismissedNotice, setDismissedNotice] = useState<string | null>(null);
  const notice = session.notice && session.notice !== dismissedNotice ? session.notice : null;

  return (
    <>
      {session.connection !== "online" && (
        <div id="offline-banner" className="banner banner-offline" role="status">
          <p>{t("session.offlineBanner")}</p>
          {session.connection_detail && <p className="banner-detail" dir="auto">{session.connection_detail}</p>}
        </div>
      )}
      {notice && (
        <div id="session-notice" className="banner banner-notice" role="status">
          <p dir="auto">{notice}</p>
          <Button variant="ghost" onClick={() => setDismissedNotice(notice)}>
            {t("session.dismiss")}
          </Button>
        </div>
      )}
    </>
  );
}
