//! Bot hooks: the answer template, reading the endpoint's answer, the configuration checks,
//! and regular-expression captures passed to the hook.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::tests::rule;
use crate::*;

fn hook(answer: &str) -> BotHook {
    BotHook {
        url: "http://127.0.0.1:9090/demo/orders/lookup".into(),
        headers: vec![HookHeader {
            name: "Authorization".into(),
            value: "Bearer s3cret".into(),
        }],
        timeout_ms: 3_000,
        retries: 2,
        answer: CustomerTexts {
            en: Some(answer.into()),
            ..Default::default()
        },
        hand_over: None,
    }
}

#[test]
fn fills_nested_fields_numbers_and_array_items() {
    let template =
        Template::parse("Order {order.id} is {order.status}, item {items.0.name} x{count}")
            .unwrap();
    let answer = json!({"order": {"id": "A-17", "status": "on its way"}, "items": [{"name": "jacket"}], "count": 2});
    assert_eq!(
        template.fill(&answer).unwrap(),
        "Order A-17 is on its way, item jacket x2"
    );
}

#[test]
fn a_missing_null_or_blank_field_is_no_answer() {
    let template = Template::parse("arriving {order.eta}").unwrap();
    for answer in [
        json!({"order": {}}),
        json!({"order": {"eta": null}}),
        json!({"order": {"eta": "  "}}),
        json!({"order": {"eta": {"day": 3}}}),
    ] {
        assert_eq!(
            template.fill(&answer),
            Err(Missing {
                placeholder: "order.eta".into()
            }),
            "{answer}"
        );
    }
}

#[test]
fn doubled_braces_are_braces_and_bad_templates_say_where() {
    assert_eq!(
        Template::parse("{{x}} {a}")
            .unwrap()
            .fill(&json!({"a": 1}))
            .unwrap(),
        "{x} 1"
    );
    assert_eq!(
        Template::parse("oops {order"),
        Err(TemplateError::Unclosed { at: 5 })
    );
    assert_eq!(
        Template::parse("a } b"),
        Err(TemplateError::Unopened { at: 2 })
    );
    assert_eq!(
        Template::parse("x {order.}"),
        Err(TemplateError::EmptyName { at: 2 })
    );
    assert_eq!(
        Template::parse("x { }"),
        Err(TemplateError::EmptyName { at: 2 })
    );
}

#[test]
fn reads_what_the_endpoint_answers() {
    assert_eq!(read_answer(b""), Ok(HookAnswer::NotFound));
    assert_eq!(read_answer(b" \n"), Ok(HookAnswer::NotFound));
    assert_eq!(read_answer(b"null"), Ok(HookAnswer::NotFound));
    assert_eq!(read_answer(b"{}"), Ok(HookAnswer::NotFound));
    assert_eq!(
        read_answer(br#"{"found": false, "order": {"id": 1}}"#),
        Ok(HookAnswer::NotFound)
    );
    assert_eq!(
        read_answer(br#"{"found": true, "order": {"id": 1}}"#),
        Ok(HookAnswer::Found(
            json!({"found": true, "order": {"id": 1}})
        ))
    );
    assert_eq!(
        read_answer(b"[1]"),
        Err(AnswerError::NotAnObject("an array"))
    );
    assert!(matches!(
        read_answer(b"<html>"),
        Err(AnswerError::NotJson(_))
    ));
}

#[test]
fn checks_address_limits_headers_and_templates() {
    assert_eq!(hook("Order {order.id}").check(), Ok(()));
    let mut bad = hook("x");
    bad.url = "ftp://example.com".into();
    assert!(matches!(bad.check(), Err(HookError::BadUrl { .. })));
    let mut bad = hook("x");
    bad.url = "https://".into();
    assert!(matches!(bad.check(), Err(HookError::BadUrl { .. })));
    let mut bad = hook("x");
    bad.timeout_ms = MAX_HOOK_TIMEOUT_MS + 1;
    assert!(matches!(bad.check(), Err(HookError::BadTimeout { .. })));
    let mut bad = hook("x");
    bad.retries = MAX_HOOK_RETRIES + 1;
    assert!(matches!(bad.check(), Err(HookError::TooManyRetries { .. })));
    let mut bad = hook("x");
    bad.headers[0].name = "Bad Name".into();
    assert!(matches!(bad.check(), Err(HookError::BadHeaderName { .. })));
    let mut bad = hook("x");
    bad.headers[0].value = "a\r\nInjected: 1".into();
    assert!(matches!(bad.check(), Err(HookError::BadHeaderValue { .. })));
    assert_eq!(hook(" ").check(), Err(HookError::EmptyAnswer));
    let mut bad = hook("fine");
    bad.hand_over = Some(CustomerTexts {
        en: Some("ok".into()),
        ar: Some("{".into()),
        th: None,
    });
    assert!(matches!(bad.check(), Err(HookError::BadTemplate { .. })));
}

#[test]
fn header_values_are_masked_kept_and_never_in_debug() {
    let stored = hook("x");
    let shown = stored.masked();
    assert_eq!(shown.headers[0].value, MASKED_SECRET);
    assert!(!format!("{stored:?}").contains("s3cret"));
    let mut saved = shown.clone();
    saved.headers[0].name = "authorization".into();
    saved.keep_secrets_from(&stored);
    assert_eq!(saved.headers[0].value, "Bearer s3cret");
    let mut changed = shown;
    changed.headers[0].value = "Bearer new".into();
    changed.keep_secrets_from(&stored);
    assert_eq!(changed.headers[0].value, "Bearer new");
}

#[test]
fn the_hook_reply_round_trips_as_json_with_defaults() {
    let reply: Reply = serde_json::from_value(json!({
        "type": "hook",
        "url": "https://orders.example/lookup",
        "answer": {"en": "Order {order.id}"}
    }))
    .unwrap();
    let Reply::Hook(hook) = &reply else {
        panic!("not a hook: {reply:?}")
    };
    assert_eq!((hook.timeout_ms, hook.retries), (3_000, 2));
    assert!(hook.headers.is_empty() && hook.hand_over.is_none());
    let again: Reply = serde_json::from_value(serde_json::to_value(&reply).unwrap()).unwrap();
    assert_eq!(again, reply);
}

#[test]
fn named_groups_of_a_regex_rule_are_captured() {
    let order = rule(
        1,
        MatchMode::Regex,
        &[r"(?:order|طلب|พัสดุ)\D{0,20}?(?P<order>\d{4,})"],
    );
    let plain = rule(2, MatchMode::Contains, &["where is my order"]);
    let rules = RuleSet::compile(vec![order, plain]).unwrap();
    let decision = rules.evaluate("111", "c", "Where is my order 4521?", 0, &NoCooldowns);
    let captured: Vec<_> = decision
        .fired
        .iter()
        .map(|f| f.matched.captures.clone())
        .collect();
    assert_eq!(captured[0].get("order").map(String::as_str), Some("4521"));
    assert!(captured[1].is_empty());
    // Diacritics do not hide the number, and the test console shows the same captures.
    let arabic = rules.evaluate("111", "c", "أين طَلَبي رقم 8812", 0, &NoCooldowns);
    assert_eq!(
        arabic.fired[0]
            .matched
            .captures
            .get("order")
            .map(String::as_str),
        Some("8812")
    );
    let explained = rules.explain("111", "c", "order 99887", 0, &NoCooldowns);
    let Verdict::Fires { matched } = &explained[0].verdict else {
        panic!("{explained:?}")
    };
    assert_eq!(
        matched.captures.get("order").map(String::as_str),
        Some("99887")
    );
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z0-9.{} ]{0,6}", inner, 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever an endpoint answers, reading it and filling any template from it never panics,
    /// and a filled reply is only ever produced from an object.
    #[test]
    fn any_answer_is_read_without_panicking(body in prop_oneof![
        any_json().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ], template in "[a-z {}.0-9]{0,24}") {
        let read = read_answer(&body);
        if let (Ok(HookAnswer::Found(value)), Ok(template)) = (&read, Template::parse(&template)) {
            prop_assert!(value.is_object());
            let _ = template.fill(value);
        }
    }

    /// Every placeholder whose field the answer has is replaced by that field's value, and
    /// none is left in the reply.
    #[test]
    fn every_present_placeholder_is_substituted(
        fields in prop::collection::btree_map("[a-z]{1,8}", "[A-Za-z0-9][A-Za-z0-9 ]{0,9}", 1..6),
        nested in "[A-Za-z0-9]{1,10}",
        order in prop::collection::vec(any::<prop::sample::Index>(), 1..8),
    ) {
        let names: Vec<&String> = fields.keys().collect();
        let mut answer: serde_json::Map<String, Value> =
            fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        answer.insert("_order".into(), json!({"ref": nested}));
        let answer = Value::Object(answer);
        let chosen: Vec<&String> = order.iter().map(|i| names[i.index(names.len())]).collect();
        let text = chosen.iter().map(|name| format!("<{{{name}}}>")).collect::<String>() + " {_order.ref}";
        let filled = Template::parse(&text).unwrap().fill(&answer).unwrap();
        let expected = chosen.iter().map(|name| format!("<{}>", fields[*name])).collect::<String>()
            + " " + &nested;
        prop_assert_eq!(filled, expected);
    }
}
