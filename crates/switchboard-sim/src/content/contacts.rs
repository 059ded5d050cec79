//! Contact cards: one to five (the limit in Meta's send schema), each with a name to show.

use super::{invalid, missing, text_at, Refused};
use serde_json::Value;

/// Contact cards (one to five, each with a name to show); returns their one-line summary.
pub(super) fn read(request: &Value) -> Result<String, Refused> {
    let cards = request
        .get("contacts")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("contacts"))?;
    if cards.is_empty() || cards.len() > 5 {
        return Err(invalid(format!(
            "Param contacts must have between 1 and 5 elements, not {}.",
            cards.len()
        )));
    }
    let mut names = Vec::new();
    for (c, card) in cards.iter().enumerate() {
        names.push(
            text_at(card, "/name/formatted_name")
                .ok_or_else(|| missing(&format!("contacts[{c}]['name']['formatted_name']")))?,
        );
        let phones = card
            .get("phones")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (p, phone) in phones.enumerate() {
            text_at(phone, "/phone")
                .ok_or_else(|| missing(&format!("contacts[{c}]['phones'][{p}]['phone']")))?;
        }
        let emails = card
            .get("emails")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (e, email) in emails.enumerate() {
            text_at(email, "/email")
                .ok_or_else(|| missing(&format!("contacts[{c}]['emails'][{e}]['email']")))?;
        }
    }
    Ok(format!("[contacts] {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::super::{read, refusal, request_of as send};
    use serde_json::{json, Value};

    #[test]
    fn contact_cards_need_a_name_to_show() {
        let card = json!({ "name": { "formatted_name": "John Smith", "first_name": "John" },
            "phones": [{ "phone": "+1 (940) 555-1234", "type": "HOME", "wa_id": "19405551234" }],
            "emails": [{ "email": "test@fb.com", "type": "WORK" }], "org": { "company": "WhatsApp" } });
        let mut request = send("contacts", Value::Null);
        request["contacts"] = json!([card]);
        assert_eq!(
            read(&request, &[]).unwrap().summary,
            "[contacts] John Smith"
        );
        let mut unnamed = request.clone();
        unnamed["contacts"][0]["name"] = json!({ "first_name": "John" });
        let (code, why) = refusal(&unnamed);
        assert!(
            code == 131008 && why.contains("contacts[0]['name']['formatted_name']"),
            "{why}"
        );
        let mut no_phone = request.clone();
        no_phone["contacts"][0]["phones"] = json!([{ "type": "HOME" }]);
        assert_eq!(refusal(&no_phone).0, 131008);
        let mut six = request.clone();
        six["contacts"] = json!(vec![card; 6]);
        assert_eq!(refusal(&six).0, 131009);
        let mut none = request.clone();
        none["contacts"] = json!([]);
        assert_eq!(refusal(&none).0, 131009);
    }
}
