//! The CRM's answer is outside input: reading it never panics and keeps within its bounds.

use super::contract::{parse, Failure, MAX_FIELDS, MAX_ORDERS, MAX_TEXT_CHARS};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn a_full_answer_reads_as_documented() {
    let body = json!({
        "profile": {"name": "سارة العتيبي", "email": "sara@example.com", "phone": "+966501234567",
            "company": "Al Noor Trading", "tier": "gold", "notes": "Prefers Arabic", "url": "https://crm.example.com/c/17"},
        "orders": [
            {"id": 4521, "date": "2026-11-20", "status": "out for delivery", "total": 349.5,
             "currency": "SAR", "items": [{"name": "Abaya", "quantity": 2}, "Gift wrap"], "url": "https://crm.example.com/o/4521"},
            {"status": "no id, left out"}
        ],
        "fields": {"loyalty_points": 1200, "vip": true, "empty": null}
    });
    let record = parse(body.to_string().as_bytes()).unwrap();
    let profile = record.profile.unwrap();
    assert_eq!(profile.name.as_deref(), Some("سارة العتيبي"));
    assert_eq!(profile.tier.as_deref(), Some("gold"));
    assert_eq!(record.orders.len(), 1);
    let order = &record.orders[0];
    assert_eq!(order.id, "4521");
    assert_eq!(order.total.as_deref(), Some("349.5"));
    assert_eq!(order.items.len(), 2);
    assert_eq!(order.items[0].quantity, 2);
    assert_eq!(order.items[1].name, "Gift wrap");
    assert_eq!(record.fields.len(), 2, "null fields are left out");
}

#[test]
fn a_wrong_shape_is_refused_with_what_is_wrong() {
    for (body, part) in [
        ("[]", "object"),
        (r#"{"profile": "x"}"#, "profile"),
        (r#"{"orders": {}}"#, "orders"),
        (r#"{"fields": []}"#, "fields"),
        ("not json", "JSON"),
    ] {
        match parse(body.as_bytes()) {
            Err(Failure::Unreadable { detail }) => assert!(detail.contains(part), "{detail}"),
            other => panic!("{body}: {other:?}"),
        }
    }
    assert_eq!(parse(b"{}").unwrap(), Default::default());
}

proptest! {
    /// Fuzz target: any bytes at all either read or are refused, never a panic.
    #[test]
    fn fuzz_crm_answer_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(&bytes);
    }

    /// Near-valid answers: whatever the values, what is kept stays within the bounds.
    #[test]
    fn answers_stay_within_bounds(
        names in proptest::collection::vec("\\PC{0,3000}", 0..3),
        orders in 0usize..40,
        fields in 0usize..150,
        total in prop_oneof![Just(json!(12.5)), Just(json!("12.50")), Just(json!(null)), Just(json!([1]))],
    ) {
        let body = json!({
            "profile": {"name": names.first(), "notes": names.last()},
            "orders": (0..orders).map(|i| json!({"id": i, "total": total, "items": names})).collect::<Vec<_>>(),
            "fields": (0..fields).map(|i| (format!("f{i}"), json!(names))).collect::<serde_json::Map<_, _>>(),
        });
        let record = parse(body.to_string().as_bytes()).unwrap();
        prop_assert!(record.orders.len() <= MAX_ORDERS);
        prop_assert!(record.fields.len() <= MAX_FIELDS);
        let profile = record.profile.unwrap();
        for text in [profile.name, profile.notes].into_iter().flatten() {
            prop_assert!(text.chars().count() <= MAX_TEXT_CHARS);
        }
    }
}
