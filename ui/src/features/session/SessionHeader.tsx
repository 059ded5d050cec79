import type { ReactNode } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { LanguagePicker } from "../../components/LanguagePicker";
import { ThemeToggle } from "../../components/ThemeToggle";
import { t } from "../../i18n";
import { ConnectionIndicator } from "./ConnectionIndicator";

type Props = {
  session: SessionInfo;
  signingOut: boolean;
  onSignOut: () => void;
  /** What sits beside the connection state: an agent's availability, a supervisor's views. */
  children?: ReactNode;
};

export function SessionHeader({ session, signingOut, onSignOut, children }: Props) {
  const user = session.user;
  return (
    <header className="session-header">
      <span className="product-name">{t("app.name")}</span>
      <ConnectionIndicator state={session.connection} detail={session.connection_detail} />
      {children}
      <span className="header-spacer" />
      <span className="preferences">
        <LanguagePicker />
        <ThemeToggle />
      </span>
      {user && (
        <span className="signed-in-user">
          <span className="user-name" dir="auto">
            {user.display_name}
          </span>
          <span className="user-role">{t(`session.role.${user.role}`)}</span>
        </span>
      )}
      <Button id="sign-out" variant="ghost" onClick={onSignOut} disabled={signingOut}>
        {t("session.signOut")}
      </Button>
    </header>
  );
}
