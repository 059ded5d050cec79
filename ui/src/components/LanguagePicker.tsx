import { LOCALE_NAMES, LOCALES, setLocale, t, useLocale, type Locale } from "../i18n";

/** The UI language, on the sign-in screen and in the header. Each language is named in itself. */
export function LanguagePicker() {
  const locale = useLocale();
  return (
    <>
      <label htmlFor="language" className="visually-hidden">
        {t("preferences.language")}
      </label>
      <select
        id="language"
        className="language-picker"
        value={locale}
        title={t("preferences.language")}
        onChange={(e) => setLocale(e.target.value as Locale)}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </>
  );
}
