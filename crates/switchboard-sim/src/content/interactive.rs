//! Interactive messages: reply buttons, lists and call-to-action URLs are checked against the
//! limits Meta documents; Meta's other interactive types only need their body.

use super::{at_most, invalid, missing, required, text_at, Refused};
use serde_json::Value;

/// Interactive message types Meta knows; only `button`, `list` and `cta_url` are checked closely.
const INTERACTIVE_TYPES: [&str; 12] = [
    "address_message",
    "button",
    "call_permission_request",
    "catalog_message",
    "cta_url",
    "flow",
    "list",
    "location_request_message",
    "order_details",
    "order_status",
    "product",
    "product_list",
];

/// An interactive message; returns its body, which is what the customer reads first.
pub(super) fn read(request: &Value) -> Result<String, Refused> {
    let kind = required(request, "/interactive/type", "interactive['type']")?;
    if !INTERACTIVE_TYPES.contains(&kind) {
        let known: Vec<String> = INTERACTIVE_TYPES.iter().map(|t| t.to_uppercase()).collect();
        return Err(Refused {
            http_status: 400,
            code: 100,
            title: "Invalid parameter",
            details: format!(
                "Param interactive['type'] must be one of {{{}}}, not {kind}",
                known.join(", ")
            ),
        });
    }
    let body = required(
        request,
        "/interactive/body/text",
        "interactive['body']['text']",
    )?;
    if let Some(header) = request.pointer("/interactive/header") {
        if header.get("type").and_then(Value::as_str) == Some("text") {
            let text = required(
                request,
                "/interactive/header/text",
                "interactive['header']['text']",
            )?;
            at_most(text, "interactive['header']['text']", 60)?;
        }
    }
    if request.pointer("/interactive/footer").is_some() {
        let footer = required(
            request,
            "/interactive/footer/text",
            "interactive['footer']['text']",
        )?;
        at_most(footer, "interactive['footer']['text']", 60)?;
    }
    match kind {
        "button" => {
            let buttons = request
                .pointer("/interactive/action/buttons")
                .and_then(Value::as_array)
                .ok_or_else(|| missing("interactive['action']['buttons']"))?;
            if buttons.is_empty() || buttons.len() > 3 {
                return Err(invalid("Buttons count should be between 1 and 3."));
            }
            let ids: Vec<&str> = buttons
                .iter()
                .filter_map(|b| b.pointer("/reply/id").and_then(Value::as_str))
                .collect();
            if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
                return Err(invalid("Duplicate button id"));
            }
        }
        "list" => read_list(request, body)?,
        "cta_url" => read_cta_url(request, body)?,
        _ => {}
    }
    Ok(body.to_owned())
}

/// Meta's list rules: a button of up to 20 characters, 1 to 10 sections (titled when there are
/// several, up to 24 characters), at most 10 rows in all, each with a unique id (up to 200),
/// a title (up to 24) and an optional description (up to 72).
fn read_list(request: &Value, body: &str) -> Result<(), Refused> {
    at_most(body, "interactive['body']['text']", 4096)?;
    let button = required(
        request,
        "/interactive/action/button",
        "interactive['action']['button']",
    )?;
    at_most(button, "interactive['action']['button']", 20)?;
    let sections = request
        .pointer("/interactive/action/sections")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("interactive['action']['sections']"))?;
    if sections.is_empty() || sections.len() > 10 {
        return Err(invalid(format!(
            "Param interactive['action']['sections'] must have between 1 and 10 elements, not {}.",
            sections.len()
        )));
    }
    let mut ids: Vec<&str> = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        let place = format!("interactive['action']['sections'][{s}]");
        match section.get("title").and_then(Value::as_str) {
            Some(title) => at_most(title, &format!("{place}['title']"), 24)?,
            None if sections.len() > 1 => return Err(missing(&format!("{place}['title']"))),
            None => {}
        }
        let rows = section
            .get("rows")
            .and_then(Value::as_array)
            .filter(|rows| !rows.is_empty())
            .ok_or_else(|| missing(&format!("{place}['rows']")))?;
        for (r, row) in rows.iter().enumerate() {
            let place = format!("{place}['rows'][{r}]");
            let id = text_at(row, "/id").ok_or_else(|| missing(&format!("{place}['id']")))?;
            let title =
                text_at(row, "/title").ok_or_else(|| missing(&format!("{place}['title']")))?;
            at_most(id, &format!("{place}['id']"), 200)?;
            at_most(title, &format!("{place}['title']"), 24)?;
            if let Some(description) = row.get("description").and_then(Value::as_str) {
                at_most(description, &format!("{place}['description']"), 72)?;
            }
            if ids.contains(&id) {
                return Err(invalid(format!("Duplicate row id: {id}")));
            }
            ids.push(id);
        }
    }
    if ids.len() > 10 {
        return Err(invalid(format!(
            "Total row count exceed max allowed count: 10 (the list has {}).",
            ids.len()
        )));
    }
    Ok(())
}

/// Meta's call-to-action URL rules: a body of up to 1024 characters and one button, its text
/// up to 20 characters, opening an http or https URL.
fn read_cta_url(request: &Value, body: &str) -> Result<(), Refused> {
    at_most(body, "interactive['body']['text']", 1024)?;
    let name = required(
        request,
        "/interactive/action/name",
        "interactive['action']['name']",
    )?;
    if name != "cta_url" {
        return Err(invalid(format!("Param interactive['action']['name'] must be cta_url for a cta_url message, not {name}.")));
    }
    let display_text = required(
        request,
        "/interactive/action/parameters/display_text",
        "interactive['action']['parameters']['display_text']",
    )?;
    at_most(
        display_text,
        "interactive['action']['parameters']['display_text']",
        20,
    )?;
    let url = required(
        request,
        "/interactive/action/parameters/url",
        "interactive['action']['parameters']['url']",
    )?;
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    if rest.is_none_or(|host| host.is_empty() || host.contains(char::is_whitespace)) {
        return Err(invalid(format!("Param interactive['action']['parameters']['url'] must be a valid http or https URL, not {url}.")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{read, refusal, request_of as send};
    use serde_json::{json, Value};

    /// Meta's "Send List Message" example, with real values.
    fn list() -> Value {
        send(
            "interactive",
            json!({ "type": "list", "header": { "type": "text", "text": "Shipping" }, "body": { "text": "How should we ship?" },
                "footer": { "text": "Lucky Shrub" },
                "action": { "button": "Options", "sections": [
                    { "title": "Fast", "rows": [{ "id": "express", "title": "Express", "description": "Next day" }] },
                    { "title": "Cheap", "rows": [{ "id": "ground", "title": "Ground" }] } ] } }),
        )
    }

    #[test]
    fn lists_within_meta_limits_are_accepted_and_each_limit_refused() {
        assert_eq!(read(&list(), &[]).unwrap().summary, "How should we ship?");
        let change = |pointer: &str, value: Value| {
            let mut request = list();
            *request.pointer_mut(pointer).unwrap() = value;
            refusal(&request)
        };
        let (code, why) = change("/interactive/action/button", json!("b".repeat(21)));
        assert_eq!(code, 131009);
        assert!(why.contains("['button'] must be at most 20"), "{why}");
        let row = |i: usize| json!({ "id": format!("r{i}"), "title": "Row" });
        let eleven: Vec<Value> = (0..11)
            .map(|i| json!({ "title": "S", "rows": [row(i)] }))
            .collect();
        assert_eq!(
            change("/interactive/action/sections", json!(eleven)).0,
            131009
        );
        let (code, why) = change(
            "/interactive/action/sections/1/rows",
            json!((1..11).map(row).collect::<Vec<_>>()),
        );
        assert_eq!(code, 131009);
        assert!(why.contains("Total row count"), "{why}");
        assert_eq!(change("/interactive/action/sections", json!([])).0, 131009);
        let (code, why) = change(
            "/interactive/action/sections/0/title",
            json!("t".repeat(25)),
        );
        assert!(
            code == 131009 && why.contains("['sections'][0]['title']"),
            "{why}"
        );
        let (code, why) = change(
            "/interactive/action/sections/1/rows/0/title",
            json!("t".repeat(25)),
        );
        assert!(
            code == 131009 && why.contains("['rows'][0]['title'] must be at most 24"),
            "{why}"
        );
        let (code, _) = change(
            "/interactive/action/sections/0/rows/0/description",
            json!("d".repeat(73)),
        );
        assert_eq!(code, 131009);
        let (code, _) = change(
            "/interactive/action/sections/0/rows/0/id",
            json!("i".repeat(201)),
        );
        assert_eq!(code, 131009);
        let (code, why) = change("/interactive/action/sections/1/rows/0/id", json!("express"));
        assert!(code == 131009 && why.contains("Duplicate row id"), "{why}");
        let (code, why) = change("/interactive/header/text", json!("h".repeat(61)));
        assert!(
            code == 131009 && why.contains("['header']['text']"),
            "{why}"
        );
        let (code, _) = change("/interactive/footer/text", json!("f".repeat(61)));
        assert_eq!(code, 131009);

        let mut untitled = list();
        untitled["interactive"]["action"]["sections"][1]
            .as_object_mut()
            .unwrap()
            .remove("title");
        let (code, why) = refusal(&untitled);
        assert!(
            code == 131008 && why.contains("['sections'][1]['title']"),
            "{why}"
        );
        let mut no_button = list();
        no_button["interactive"]["action"]
            .as_object_mut()
            .unwrap()
            .remove("button");
        assert_eq!(refusal(&no_button).0, 131008);
        let mut hologram = list();
        hologram["interactive"]["type"] = json!("hologram");
        assert_eq!(refusal(&hologram).0, 100);
    }

    fn cta(url: &str) -> Value {
        send(
            "interactive",
            json!({ "type": "cta_url", "body": { "text": "Tap the button below to see available dates." },
                "action": { "name": "cta_url", "parameters": { "display_text": "See Dates", "url": url } } }),
        )
    }

    #[test]
    fn call_to_action_urls_must_be_web_addresses() {
        assert!(read(&cta("https://www.luckyshrub.com?clickID=kqDG"), &[]).is_ok());
        assert!(read(&cta("http://example.com"), &[]).is_ok());
        for url in [
            "ftp://example.com",
            "javascript:alert(1)",
            "www.example.com",
            "https://",
        ] {
            let (code, why) = refusal(&cta(url));
            assert!(
                code == 131009 && why.contains("http or https URL"),
                "{url}: {why}"
            );
        }
        let mut long_label = cta("https://example.com");
        long_label["interactive"]["action"]["parameters"]["display_text"] = json!("d".repeat(21));
        assert_eq!(refusal(&long_label).0, 131009);
        let mut no_url = cta("https://example.com");
        no_url["interactive"]["action"]["parameters"]
            .as_object_mut()
            .unwrap()
            .remove("url");
        assert_eq!(refusal(&no_url).0, 131008);
        let mut long_body = cta("https://example.com");
        long_body["interactive"]["body"]["text"] = json!("b".repeat(1025));
        assert_eq!(refusal(&long_body).0, 131009);
    }
}
