//! Search, its migration and retention.

use super::*;
use proptest::prelude::*;
use switchboard_domain::*;

fn message(id: i64, conversation_id: i64, at: i64, text: &str) -> Message {
    Message {
        key: Message::server_key(id),
        id: Some(id),
        conversation_id,
        direction: Direction::Inbound,
        wamid: Some(format!("wamid.{id}")),
        kind: "text".into(),
        text: text.into(),
        body: MessageBody::Text { body: text.into() },
        context: None,
        media: None,
        status: DeliveryStatus::Received,
        error: None,
        sender_user_id: None,
        sender_name: None,
        created_at: at,
    }
}

fn store_with(texts: &[(i64, &str)]) -> Store {
    let store = Store::in_memory().unwrap();
    for (index, (conversation_id, text)) in texts.iter().enumerate() {
        let id = index as i64 + 1;
        store
            .apply_message(&message(id, *conversation_id, 1_000 * id, text))
            .unwrap();
    }
    store
}

fn keys(store: &Store, text: &str, conversation_id: Option<i64>) -> Vec<String> {
    store
        .search(&SearchQuery {
            text,
            conversation_id,
            before: None,
            limit: 50,
        })
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.message_key)
        .collect()
}

fn marked(hit: &FoundMessage) -> Vec<String> {
    let units: Vec<u16> = hit.snippet.encode_utf16().collect();
    hit.spans
        .iter()
        .map(|(s, e)| String::from_utf16(&units[*s as usize..*e as usize]).unwrap())
        .collect()
}

#[test]
fn finds_arabic_and_thai_substrings_with_highlights() {
    let store = store_with(&[
        (1, "مرحبا، متى يصل طلبي رقم 4521؟"),
        (2, "สวัสดีค่ะ อยากทราบสถานะการสั่งซื้อค่ะ"),
        (2, "Hello, where is my order?"),
    ]);
    assert_eq!(keys(&store, "طلبي", None), ["m1"]);
    assert_eq!(keys(&store, "ลบ", None), Vec::<String>::new());
    assert_eq!(keys(&store, "สั่งซื้อ", None), ["m2"]);
    let page = store
        .search(&SearchQuery {
            text: "สถานะ",
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(marked(&page.hits[0]), ["สถานะ"]);
    assert_eq!(page.hits[0].conversation_id, 2);
    assert_eq!(page.next, None);
}

#[test]
fn folds_case_diacritics_tatweel_and_alef_forms() {
    let store = store_with(&[
        (1, "نحتاج اموال الآن"),
        (1, "مَرْحَبًا بـــك"),
        (1, "ORDER Café"),
    ]);
    assert_eq!(keys(&store, "أموال", None), ["m1"]);
    assert_eq!(keys(&store, "مرحبا", None), ["m2"]);
    assert_eq!(keys(&store, "بك", Some(1)), ["m2"]);
    assert_eq!(keys(&store, "order cafe", None), ["m3"]);
    let page = store
        .search(&SearchQuery {
            text: "مرحبا",
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    // The highlight covers the original letters with their diacritics.
    assert_eq!(marked(&page.hits[0]), ["مَرْحَبًا"]);
}

#[test]
fn phrases_need_their_words_in_order_terms_do_not() {
    let store = store_with(&[(1, "the order is ready"), (1, "ready? your order, sir")]);
    assert_eq!(keys(&store, "order ready", None), ["m2", "m1"]);
    assert_eq!(keys(&store, "\"order is\"", None), ["m1"]);
    assert_eq!(keys(&store, "\"ready your\"", None), ["m2"]);
    assert_eq!(keys(&store, "\"is the\"", None), Vec::<String>::new());
}

#[test]
fn prefixes_start_words_substrings_need_not() {
    let store = store_with(&[(1, "Ordering now"), (1, "a kind word"), (1, "border")]);
    assert_eq!(keys(&store, "ord*", None), ["m1"]);
    assert_eq!(keys(&store, "ord", None), ["m3", "m2", "m1"]);
    assert_eq!(keys(&store, "or*", Some(1)), ["m1"]);
}

#[test]
fn searches_within_one_conversation_and_short_queries() {
    let store = store_with(&[(1, "ok thanks"), (2, "ok then"), (2, "thanks a lot")]);
    assert_eq!(keys(&store, "thanks", Some(2)), ["m3"]);
    assert_eq!(keys(&store, "thanks", Some(3)), Vec::<String>::new());
    assert_eq!(keys(&store, "ok", None), ["m2", "m1"]);
    assert_eq!(keys(&store, "ok", Some(1)), ["m1"]);
    assert_eq!(keys(&store, "ok thanks", None), ["m1"]);
}

#[test]
fn pages_newest_first_by_keyset() {
    let store = Store::in_memory().unwrap();
    // Several messages share a millisecond; paging must neither skip nor repeat them.
    let messages: Vec<Message> = (1..=25)
        .map(|id| message(id, 1 + id % 3, 1_000 + id / 4, "order update"))
        .collect();
    store.apply_messages(&messages).unwrap();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .search(&SearchQuery {
                text: "update",
                conversation_id: None,
                before,
                limit: 10,
            })
            .unwrap();
        assert!(page.hits.len() <= 10);
        seen.extend(
            page.hits
                .iter()
                .map(|h| (h.created_at, h.message_key.clone())),
        );
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.0));
    assert_eq!(
        seen.iter().map(|s| s.0).collect::<Vec<_>>(),
        sorted.iter().map(|s| s.0).collect::<Vec<_>>()
    );
    seen.dedup();
    assert_eq!(seen.len(), 25);
}

#[test]
fn follows_text_and_time_changes() {
    let store = store_with(&[(1, "first text")]);
    let changed = message(1, 1, 5_000, "second words");
    assert_eq!(
        store.apply_message(&changed).unwrap(),
        cache::Applied::Updated
    );
    assert!(keys(&store, "first", None).is_empty());
    assert_eq!(keys(&store, "second", None), ["m1"]);
    let page = store
        .search(&SearchQuery {
            text: "second",
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.hits[0].created_at, 5_000);
}

#[test]
fn migration_indexes_messages_cached_before_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let before_search = MIGRATIONS
        .iter()
        .position(|sql| *sql == search::MIGRATION)
        .unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..before_search] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", before_search as i64)
            .unwrap();
        for (id, text) in [(1, "طلبي رقم 4521"), (2, "การสั่งซื้อ"), (3, "same ms")]
        {
            let m = message(id, 1, 7_000, text);
            conn.execute(
                "INSERT INTO messages (key, server_id, conversation_id, created_at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![m.key, m.id, m.conversation_id, m.created_at, serde_json::to_string(&m).unwrap()],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(keys(&store, "طلبي", None), ["m1"]);
    assert_eq!(keys(&store, "สั่งซื้อ", None), ["m2"]);
    assert_eq!(keys(&store, "ms", None), ["m3"]);
    // Later writes keep working with the backfilled ids.
    store
        .apply_message(&message(4, 1, 7_000, "طلبي الثاني"))
        .unwrap();
    assert_eq!(keys(&store, "طلبي", None), ["m4", "m1"]);
}

#[test]
fn retention_keeps_unsent_replies_and_the_outbox() {
    let store = store_with(&[(1, "old customer text"), (1, "old second")]);
    let reply = OutboxItem {
        idempotency_key: "k-1".into(),
        conversation_id: 1,
        text: "old unsent reply".into(),
        created_at: 1_500,
        filter_version: 0,
        confirmed_warnings: false,
        attempts: 0,
    };
    store.enqueue_reply(&reply, None, None).unwrap();
    store
        .apply_message(&message(9, 1, 90_000, "new text"))
        .unwrap();
    assert_eq!(store.delete_messages_before(50_000).unwrap(), 2);
    assert!(keys(&store, "old", None) == ["k-1"]);
    assert_eq!(keys(&store, "new", None), ["m9"]);
    assert_eq!(store.outbox().unwrap().len(), 1);
    assert_eq!(store.unsent_count().unwrap(), 1);
    // A reply the server refused is unsent too, even after it left the outbox.
    store.reject_reply("k-1", "refused").unwrap();
    assert_eq!(store.delete_messages_before(50_000).unwrap(), 0);
    assert!(store.message("k-1").unwrap().is_some());
}

#[test]
fn clearing_empties_the_index() {
    let store = store_with(&[(1, "something to find")]);
    store.clear().unwrap();
    assert!(keys(&store, "something", None).is_empty());
    store
        .apply_message(&message(1, 1, 1_000, "something again"))
        .unwrap();
    assert_eq!(keys(&store, "something", None), ["m1"]);
}

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a"),
        Just("B"),
        Just("é"),
        Just("ž"),
        Just(" "),
        Just(", "),
        Just("!"),
        Just("7"),
        Just("م"),
        Just("ر"),
        Just("ح"),
        Just("أ"),
        Just("ـ"),
        Just("َ"),
        Just("ส"),
        Just("ั"),
        Just("่"),
        Just("ง"),
        Just("ซ"),
        Just("ื้"),
        Just("อ"),
        Just("\n"),
        Just("😀"),
    ];
    prop::collection::vec(piece, 3..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any substring of three characters or more of a cached text finds it in its conversation.
    #[test]
    fn any_substring_finds_its_message(text in text_strategy(), start in 0usize..60, len in 3usize..20) {
        let chars: Vec<char> = text.chars().collect();
        prop_assume!(chars.len() >= 3);
        let start = start % (chars.len() - 2);
        let end = (start + len).min(chars.len());
        prop_assume!(end - start >= 3);
        let needle: String = chars[start..end].iter().collect();
        // Something must be left to search for once tatweel and punctuation are folded away.
        prop_assume!(!fold::fold_text(&needle).trim().is_empty());
        let store = store_with(&[(1, "unrelated words"), (2, &text), (1, &text)]);
        let found = keys(&store, &needle, Some(2));
        prop_assert_eq!(found, vec!["m2".to_owned()], "needle {:?} in {:?}", needle, text);
    }
}
