//! The language error answers are worded in. The desk names the agent's language in
//! `Accept-Language` on every request and on the WebSocket upgrade; a middleware runs the
//! request inside a task-local scope holding it, and `say!` picks the text for that language
//! where a message is built. Outside any scope (command-line tools, start-up) it is English.

use axum::extract::Request;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use std::future::Future;

/// A language the server words its messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Ar,
    Th,
}

tokio::task_local! {
    static LANGUAGE: Language;
}

/// The language of the request being served, English outside one.
pub fn current() -> Language {
    LANGUAGE.try_with(|language| *language).unwrap_or_default()
}

/// Runs `future` in `language`: for work that outlives the request's task, such as a
/// WebSocket session, which must capture `current()` before it leaves.
pub async fn within<F: Future>(language: Language, future: F) -> F::Output {
    LANGUAGE.scope(language, future).await
}

/// Runs `f` in `language` on the current thread: for work moved to a blocking thread (the
/// database's), which does not see the request's task-local.
pub fn within_blocking<T>(language: Language, f: impl FnOnce() -> T) -> T {
    LANGUAGE.sync_scope(language, f)
}

/// Middleware: serves the request in the language its `Accept-Language` prefers.
pub async fn scope(request: Request, next: Next) -> Response {
    let language = request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(parse)
        .unwrap_or_default();
    within(language, next.run(request)).await
}

/// The supported language an `Accept-Language` value prefers (RFC 9110: the highest `q`,
/// the earlier on a tie; `q=0` refuses). English when it names none of ours or is garbage.
pub fn parse(header: &str) -> Language {
    let mut best: Option<(Language, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let language = if primary.eq_ignore_ascii_case("en") {
            Language::En
        } else if primary.eq_ignore_ascii_case("ar") {
            Language::Ar
        } else if primary.eq_ignore_ascii_case("th") {
            Language::Th
        } else {
            continue;
        };
        let mut quality = Some(1.0);
        for parameter in parts {
            if let Some((name, value)) = parameter.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = value
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q));
                }
            }
        }
        let Some(quality) = quality.filter(|q| *q > 0.0) else {
            continue;
        };
        if best.is_none_or(|(_, best_quality)| quality > best_quality) {
            best = Some((language, quality));
        }
    }
    best.map(|(language, _)| language).unwrap_or_default()
}

/// One text in every language the server answers in, as a `String`, for the current
/// request's language: `say!(en: "…", ar: "…", th: "…")`, each a `format!` string that may
/// name variables in scope (`{id}`). All three are required, so a text cannot ship
/// untranslated. Numbers, ids, names and technical tokens (`to_user_id`, setting names) stay
/// as they are; Thai separates clauses, not words, with spaces and ends without a full stop.
macro_rules! say {
    (en: $en:literal, ar: $ar:literal, th: $th:literal $(,)?) => {
        match $crate::api::language::current() {
            $crate::api::language::Language::En => ::std::format!($en),
            $crate::api::language::Language::Ar => ::std::format!($ar),
            $crate::api::language::Language::Th => ::std::format!($th),
        }
    };
}
pub(crate) use say;

/// One text in all three languages at once, for texts stored and shown later to users who
/// may read any of them (alerts): `in_every_language!(en: "…", ar: "…", th: "…")` makes a
/// [`switchboard_protocol::LocalizedText`].
macro_rules! in_every_language {
    (en: $en:literal, ar: $ar:literal, th: $th:literal $(,)?) => {
        ::switchboard_protocol::LocalizedText {
            en: ::std::format!($en),
            ar: ::std::format!($ar),
            th: ::std::format!($th),
        }
    };
}
pub(crate) use in_every_language;

/// `text` in the current request's language.
pub fn pick(text: switchboard_protocol::LocalizedText) -> String {
    match current() {
        Language::En => text.en,
        Language::Ar => text.ar,
        Language::Th => text.th,
    }
}

/// `message` with a failure reason the server words itself in the current request's language.
pub fn worded(mut message: switchboard_domain::Message) -> switchboard_domain::Message {
    switchboard_protocol::FailureReason::word_message(&mut message, pick);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tags_and_regions_pick_the_language() {
        assert_eq!(parse("ar"), Language::Ar);
        assert_eq!(parse("th"), Language::Th);
        assert_eq!(parse("en"), Language::En);
        assert_eq!(parse("ar-SA"), Language::Ar);
        assert_eq!(parse("th-TH,th;q=0.9"), Language::Th);
        assert_eq!(parse("AR-eg"), Language::Ar);
        assert_eq!(parse("en-GB"), Language::En);
        assert_eq!(parse("th_TH"), Language::Th);
    }

    #[test]
    fn the_highest_quality_wins_and_ties_keep_the_order() {
        assert_eq!(parse("en;q=0.5, ar;q=0.8"), Language::Ar);
        assert_eq!(parse("ar;q=0.3,th;q=0.7,en;q=0.6"), Language::Th);
        assert_eq!(parse("th, ar"), Language::Th);
        assert_eq!(parse("ar;q=0.5, th;q=0.5"), Language::Ar);
        assert_eq!(parse("fr-FR, de;q=0.9, ar;q=0.1"), Language::Ar);
        assert_eq!(parse("ar ; Q=1.0 , en;q=0.9"), Language::Ar);
    }

    #[test]
    fn refused_unknown_and_garbage_fall_back_to_english() {
        assert_eq!(parse(""), Language::En);
        assert_eq!(parse("   "), Language::En);
        assert_eq!(parse("fr, de;q=0.9"), Language::En);
        assert_eq!(parse("*"), Language::En);
        assert_eq!(parse("ar;q=0"), Language::En);
        assert_eq!(parse("ar;q=0, th;q=0.000"), Language::En);
        assert_eq!(parse("ar;q=banana"), Language::En);
        assert_eq!(parse("th;q=2"), Language::En);
        assert_eq!(parse(",,;;=="), Language::En);
        assert_eq!(parse("arabic, thai"), Language::En);
        assert_eq!(parse("\u{0e44}\u{0e17}\u{0e22}"), Language::En);
    }

    #[test]
    fn texts_follow_the_scope_and_default_to_english() {
        let text =
            |id: i64| say!(en: "Conversation {id}", ar: "المحادثة {id}", th: "การสนทนา {id}");
        assert_eq!(text(7), "Conversation 7");
        assert_eq!(within_blocking(Language::Ar, || text(7)), "المحادثة 7");
        assert_eq!(within_blocking(Language::Th, || text(7)), "การสนทนา 7");
    }
}
