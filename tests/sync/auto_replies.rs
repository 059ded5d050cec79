//! Keyword auto-replies from an admin's desk against the real server: the rule list saved
//! whole and loaded back as saved, the test console explaining an Arabic message, a rule
//! that cannot work refused in the admin's language with its name, and agents kept out.

use crate::{ann_online, first_number};
use serde_json::json;
use switchboard_domain::Role;
use switchboard_protocol::{AutoReplyRules, TestAutoReplyRequest};
use switchboard_sync::{Language, LanguageRequest, SyncError};
use switchboard_testkit::Harness;

fn rules(value: serde_json::Value) -> AutoReplyRules {
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_saves_tests_and_reloads_rules_from_the_desk() {
    let h = Harness::start().await;
    let (_ann_network, ann) = ann_online(&h).await;
    h.server.create_user("root", Role::Admin, &[]).await;
    let network = h.server.in_memory_transport();
    let root = h.desk_over(&network, "root").await;
    root.online().await;
    let ws = &root.workstation;
    let number = first_number();

    assert!(ws.auto_replies().await.unwrap().rules.is_empty());
    let list = rules(json!({ "rules": [
        { "id": 1, "name": " Prices ", "numbers": [number, " "], "keywords": ["price", "", "السعر"],
          "mode": "whole_word", "priority": 10, "stop_on_match": true, "cooldown_minutes": 30,
          "reply": { "type": "document", "source": { "link": "https://example.com/prices.pdf" },
                     "filename": "prices.pdf", "caption": "قائمة الأسعار" } },
        { "id": 2, "name": "Hello", "keywords": ["مرحبا", "hello"],
          "reply": { "type": "template", "name": "greeting", "language": "ar",
                     "parameters": ["Noor"] } },
        { "id": 3, "name": "Old offer", "keywords": ["offer"], "enabled": false,
          "reply": { "type": "text", "text": "No offers now" } },
    ] }));
    let saved = ws.save_auto_replies(list).await.unwrap();
    let loaded = ws.auto_replies().await.unwrap();
    assert_eq!(
        loaded.rules, saved.rules,
        "the desk reads back what it saved"
    );
    let prices = &loaded.rules[0];
    assert_eq!(prices.name, "Prices");
    assert_eq!(prices.numbers, [number.as_str()]);
    assert_eq!(
        prices.keywords,
        ["price", "السعر"],
        "blank keywords dropped"
    );
    assert!(prices.stop_on_match);
    assert_eq!(prices.cooldown_minutes, 30);
    assert_eq!(
        serde_json::to_value(&prices.reply).unwrap()["filename"],
        "prices.pdf"
    );
    assert!(!loaded.rules[2].enabled);
    assert_eq!(
        h.server
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'auto_replies.changed'"),
        1
    );

    // Both keyword rules match; the price rule stops the greeting, the disabled one stays quiet.
    let report = ws
        .test_auto_replies(TestAutoReplyRequest {
            phone_number_id: number.clone(),
            text: "مرحبا، كم السعر؟ any offer?".into(),
            contact_id: None,
        })
        .await
        .unwrap();
    assert_eq!(report.fires, [1]);
    let verdicts = serde_json::to_value(&report.rules).unwrap();
    let verdict = |i: usize| {
        (
            verdicts[i]["rule_id"].clone(),
            verdicts[i]["verdict"].clone(),
        )
    };
    assert_eq!(verdict(0).0, 1);
    assert_eq!(verdict(0).1["verdict"], "fires");
    assert_eq!(verdict(0).1["matched"]["keyword"], "السعر");
    assert_eq!(verdict(1).0, 2);
    assert_eq!(verdict(1).1["verdict"], "shadowed", "{verdicts}");
    assert_eq!(verdict(1).1["by"], 1);
    assert_eq!(verdict(2).0, 3);
    assert_eq!(verdict(2).1["verdict"], "disabled");
    assert_eq!(
        verdict(2).1["matched"]["keyword"],
        "offer",
        "a disabled rule still says what it would have matched"
    );

    // A rule without keywords refuses the whole list, in the admin's language, naming it.
    ws.set_language(LanguageRequest {
        language: Language::Ar,
    })
    .unwrap();
    let mut broken = loaded.clone();
    broken.rules[1].keywords = vec!["  ".into()];
    let refused = ws.save_auto_replies(broken).await.unwrap_err();
    assert!(
        matches!(&refused, SyncError::Rejected(m) if m.contains("\"Hello\"") && m.contains("بلا كلمات مفتاحية")),
        "{refused:?}"
    );
    assert_eq!(
        ws.auto_replies().await.unwrap().rules,
        loaded.rules,
        "nothing of a refused list is saved"
    );

    // Agents may neither read nor test the rules.
    let agent = ann.workstation.auto_replies().await.unwrap_err();
    assert!(matches!(agent, SyncError::Rejected(_)), "{agent:?}");
}
