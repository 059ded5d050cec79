//! Validating send requests against Meta's own OpenAPI document for the Cloud API (v23.0,
//! shipped in `openapi/` under its MIT licence). The simulated `POST /{phone-number-id}/messages`
//! refuses what the document's `Message` schema refuses — unknown fields, wrong types, missing
//! parts — with Meta's `(#100) Invalid parameter` and the schema's reason.
//!
//! The document closes each message type with `additionalProperties: false` inside an `allOf`
//! beside the shared properties (`messaging_product`, `to`, …). Read literally, JSON Schema then
//! refuses every message, because each branch sees only its own properties. The intent is
//! `unevaluatedProperties: false` on the combination, which is what [`close_combinations`]
//! rewrites it to before compiling.

use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// Meta's OpenAPI document, as published.
pub const DOCUMENT: &str = include_str!("../openapi/meta-business-messaging-api_v23.0.yaml");

/// The path and method of the send operation in [`DOCUMENT`].
const SEND_PATH: &str = "/{Version}/{Phone-Number-ID}/messages";

/// Why the document could not be turned into a validator.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("Meta's OpenAPI document is not valid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("Meta's OpenAPI document lacks {0}")]
    Missing(&'static str),
    #[error("Meta's OpenAPI document does not convert to JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the Message schema does not compile: {0}")]
    Schema(String),
}

/// The compiled request schema of the send operation, one validator per message type (the
/// schema's discriminator), so a refusal names what is wrong in that type rather than that
/// the request matched none of eleven.
pub struct SendValidator {
    by_type: Vec<(String, jsonschema::Validator)>,
}

impl SendValidator {
    /// Compiles the send operation's request schema from [`DOCUMENT`].
    pub fn from_document() -> Result<SendValidator, SpecError> {
        let document: serde_yaml::Value = serde_yaml::from_str(DOCUMENT)?;
        let request_schema = send_body(&document)
            .and_then(|c| c.get("schema"))
            .and_then(|s| s.get("$ref"))
            .and_then(|r| r.as_str())
            .ok_or(SpecError::Missing("the send operation's request schema"))?;
        let schemas = document
            .get("components")
            .and_then(|c| c.get("schemas"))
            .ok_or(SpecError::Missing("components.schemas"))?;
        let mut schemas: Value = serde_json::to_value(schemas)?;
        close_combinations(&mut schemas);
        align_with_examples(&mut schemas);
        let message = request_schema
            .rsplit('/')
            .next()
            .and_then(|name| schemas.get(name))
            .ok_or(SpecError::Missing("the Message schema"))?;
        let mapping = message
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .ok_or(SpecError::Missing("the Message schema's discriminator"))?
            .clone();
        let mut by_type = Vec::new();
        for (kind, reference) in mapping {
            let root = json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "components": { "schemas": schemas },
                "$ref": reference,
            });
            let validator = jsonschema::draft202012::options()
                .build(&root)
                .map_err(|e| SpecError::Schema(format!("{kind}: {e}")))?;
            by_type.push((kind, validator));
        }
        Ok(SendValidator { by_type })
    }

    /// The validator every simulator in this process shares; compiled on first use.
    pub fn shared() -> Result<&'static SendValidator, &'static SpecError> {
        static SHARED: OnceLock<Result<SendValidator, SpecError>> = OnceLock::new();
        SHARED.get_or_init(SendValidator::from_document).as_ref()
    }

    /// `Ok` when `request` is a valid send request; otherwise the first few reasons, each
    /// naming the offending place in the request.
    pub fn check(&self, request: &Value) -> Result<(), String> {
        let kind = request
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("text");
        let Some((_, validator)) = self.by_type.iter().find(|(k, _)| k == kind) else {
            let known: Vec<&str> = self.by_type.iter().map(|(k, _)| k.as_str()).collect();
            return Err(format!(
                "/type: {kind:?} is not a message type; use one of {}",
                known.join(", ")
            ));
        };
        let reasons: Vec<String> = validator
            .iter_errors(request)
            .take(3)
            .map(|e| {
                let at = e.instance_path().to_string();
                if at.is_empty() {
                    e.to_string()
                } else {
                    format!("{at}: {e}")
                }
            })
            .collect();
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons.join("; "))
        }
    }
}

/// Where the document's schemas contradict its own examples and Meta's reference (which the
/// live API follows), the examples win:
/// - `recipient_type` (default `individual`) and `type` (default `text`) are optional;
/// - a template's `language.policy` is optional (default `deterministic`);
/// - a button component's `index` is a number or a string of digits (the document's pattern
///   `^[2-6, 11-14]$` refuses its own `"0"`);
/// - button `sub_type`s are accepted in either case, and include `flow` and `copy_code`;
/// - a location's coordinates are numbers (the document says strings but sends numbers);
/// - `biz_opaque_callback_data` (echoed in statuses) is allowed on every message;
/// - interactive `cta_url` messages, which the reference documents and the document omits,
///   are described: `action.name` `cta_url` with `parameters.display_text` (at most 20
///   characters) and `parameters.url`.
fn align_with_examples(schemas: &mut Value) {
    if let Some(Value::Array(kinds)) =
        schemas.pointer_mut("/InteractiveObject/properties/type/enum")
    {
        kinds.push(json!("cta_url"));
    }
    if let Some(Value::Array(actions)) = schemas.pointer_mut("/ActionObject/oneOf") {
        actions.push(json!({
            "type": "object",
            "required": ["name", "parameters"],
            "additionalProperties": false,
            "properties": {
                "name": { "type": "string", "enum": ["cta_url"] },
                "parameters": {
                    "type": "object",
                    "required": ["display_text", "url"],
                    "additionalProperties": false,
                    "properties": {
                        "display_text": { "type": "string", "maxLength": 20 },
                        "url": { "type": "string" }
                    }
                }
            }
        }));
    }
    // Echoed in status webhooks; the reference documents it for every message type.
    if let Some(Value::Object(properties)) =
        schemas.pointer_mut("/BaseMessageProperties/properties")
    {
        properties.insert(
            "biz_opaque_callback_data".into(),
            json!({ "type": "string", "maxLength": 512 }),
        );
    }
    if let Some(required) = schemas.pointer_mut("/BaseMessageProperties/required") {
        *required = json!(["messaging_product", "to"]);
    }
    if let Some(required) = schemas.pointer_mut("/LanguageObject/required") {
        *required = json!(["code"]);
    }
    for coordinate in ["latitude", "longitude"] {
        let pointer =
            format!("/LocationMessage/allOf/1/properties/location/properties/{coordinate}/type");
        if let Some(kind) = schemas.pointer_mut(&pointer) {
            *kind = json!(["number", "string"]);
        }
    }
    relax_buttons(schemas);
}

fn relax_buttons(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                if let Some(index) = properties.get_mut("index") {
                    if index.get("pattern").is_some() {
                        *index = json!({ "type": ["string", "integer"], "pattern": "^[0-9]{1,2}$",
                            "minimum": 0, "maximum": 99 });
                    }
                }
                if let Some(sub_type) = properties.get_mut("sub_type") {
                    if sub_type.get("enum").is_some() {
                        let kinds = ["quick_reply", "url", "catalog", "flow", "copy_code"];
                        let both_cases: Vec<String> = kinds
                            .iter()
                            .flat_map(|k| [k.to_string(), k.to_uppercase()])
                            .collect();
                        sub_type["enum"] = json!(both_cases);
                    }
                }
            }
            object.values_mut().for_each(relax_buttons);
        }
        Value::Array(items) => items.iter_mut().for_each(relax_buttons),
        _ => {}
    }
}

/// Rewrites `allOf` combinations whose branches close themselves with
/// `additionalProperties: false` to close the combination instead.
fn close_combinations(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(branches)) = object.get_mut("allOf") {
                let mut closed = false;
                for branch in branches.iter_mut() {
                    if let Value::Object(branch) = branch {
                        closed |= take_closing(branch);
                    }
                }
                if closed {
                    object.insert("unevaluatedProperties".into(), Value::Bool(false));
                }
            }
            object.values_mut().for_each(close_combinations);
        }
        Value::Array(items) => items.iter_mut().for_each(close_combinations),
        _ => {}
    }
}

fn take_closing(branch: &mut Map<String, Value>) -> bool {
    if branch.get("additionalProperties") == Some(&Value::Bool(false)) {
        branch.remove("additionalProperties");
        true
    } else {
        false
    }
}

/// The JSON request body of the send operation: its schema and examples.
fn send_body(document: &serde_yaml::Value) -> Option<&serde_yaml::Value> {
    document
        .get("paths")?
        .get(SEND_PATH)?
        .get("post")?
        .get("requestBody")?
        .get("content")?
        .get("application/json")
}

/// The request examples the document gives for the send operation, by name.
pub fn send_examples() -> Result<Vec<(String, Value)>, SpecError> {
    let document: serde_yaml::Value = serde_yaml::from_str(DOCUMENT)?;
    let examples = send_body(&document)
        .and_then(|c| c.get("examples"))
        .and_then(|e| e.as_mapping())
        .ok_or(SpecError::Missing("the send operation's examples"))?;
    examples
        .iter()
        .filter_map(|(name, example)| Some((name.as_str()?.to_owned(), example.get("value")?)))
        .map(|(name, value)| Ok((name, serde_json::to_value(value)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator() -> &'static SendValidator {
        SendValidator::shared().expect("Meta's document compiles")
    }

    #[test]
    fn every_example_in_the_document_is_valid() {
        let examples = send_examples().unwrap();
        // Examples the document's own schema does not describe: payment messages (interactive
        // types `order_details` and `order_status`, absent from its list of types) and a list
        // reply that leaves out `type`, which then defaults to text and lacks `text`.
        let outside_the_schema = [
            "Send Order Details Message",
            "Send Order Status Message",
            "Send Reply to List Message",
        ];
        let mut wrongly_refused = Vec::new();
        let mut checked = 0;
        for (name, mut example) in examples {
            // Read receipts and typing indicators share the endpoint but not the schema.
            if example.get("status").is_some() {
                continue;
            }
            // A placeholder where the document means one of the header types.
            if example.pointer("/interactive/header/type") == Some(&json!("<HEADER_TYPE>")) {
                example["interactive"]["header"]["type"] = json!("text");
            }
            let verdict = validator().check(&example);
            if outside_the_schema.contains(&name.as_str()) {
                assert!(verdict.is_err(), "{name:?} was expected outside the schema");
            } else if let Err(why) = verdict {
                wrongly_refused.push(format!("{name:?}: {why}"));
            }
            checked += 1;
        }
        assert!(checked > 40, "only {checked} examples checked");
        assert!(
            wrongly_refused.is_empty(),
            "the document's own examples were refused:\n{}",
            wrongly_refused.join("\n")
        );
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused_with_their_place() {
        let valid = json!({ "messaging_product": "whatsapp", "to": "15551234567", "type": "text",
            "text": { "body": "hello" } });
        assert_eq!(validator().check(&valid), Ok(()));

        let mut unknown = valid.clone();
        unknown["text"]["colour"] = json!("red");
        let why = validator().check(&unknown).unwrap_err();
        assert!(why.contains("colour"), "{why}");

        let mut wrong_type = valid.clone();
        wrong_type["text"]["body"] = json!(42);
        let why = validator().check(&wrong_type).unwrap_err();
        assert!(why.contains("/text/body"), "{why}");

        let mut stray = valid.clone();
        stray["image"] = json!({ "link": "https://example.com/a.jpg" });
        assert!(
            validator().check(&stray).is_err(),
            "a text message carrying an image"
        );

        let cta = json!({ "messaging_product": "whatsapp", "to": "1", "type": "interactive",
            "interactive": { "type": "cta_url", "body": { "text": "See the dates" },
                "action": { "name": "cta_url",
                    "parameters": { "display_text": "See Dates", "url": "https://example.com" } } } });
        assert_eq!(validator().check(&cta), Ok(()));
        let mut long_label = cta.clone();
        long_label["interactive"]["action"]["parameters"]["display_text"] =
            json!("A label far longer than twenty");
        assert!(validator().check(&long_label).is_err());

        let unknown_type = json!({ "messaging_product": "whatsapp", "to": "1", "type": "hologram",
            "hologram": {} });
        assert!(validator().check(&unknown_type).is_err());
    }

    #[test]
    fn closing_moves_from_branches_to_the_combination() {
        let mut schema = json!({ "allOf": [
            { "properties": { "a": {} } },
            { "additionalProperties": false, "properties": { "b": {} } }
        ] });
        close_combinations(&mut schema);
        assert_eq!(schema["unevaluatedProperties"], json!(false));
        assert!(schema["allOf"][1].get("additionalProperties").is_none());
    }
}
