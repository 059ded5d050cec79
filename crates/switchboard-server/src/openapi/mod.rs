//! The OpenAPI 3.1 document of the HTTP surface, generated from code and served at
//! `GET /api/v1/openapi.json` without credentials. Operations come from the catalogue (one line
//! per route, checked against the router by a test); schemas from the handlers' Rust types.

pub mod catalogue;
pub mod schema;

use axum::response::{IntoResponse, Response};
use catalogue::{Answer, Needs, Operation};
use schema::{Registry, COMPONENTS};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;
use switchboard_protocol::{ApiError, RateLimitExceeded};

/// The document, built once.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> Response {
    axum::Json(document()).into_response()
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("{COMPONENTS}{name}") })
}

fn build() -> Value {
    let mut registry = Registry::default();
    registry.schema_of::<ApiError>();
    registry.schema_of::<RateLimitExceeded>();
    let mut paths = Map::new();
    for operation in catalogue::operations() {
        let entry = paths
            .entry(operation.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[operation.method] = describe(&operation, &mut registry);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Switchboard API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Switchboard server's REST API. Integrations authenticate with an API token \
                (`Authorization: Bearer sbk_…`), created by an admin in the desk (Admin → API tokens); \
                a token holds exactly its permissions. Each token is rate limited (1,000 requests a \
                second unless configured otherwise): answers carry `X-RateLimit-Limit` and \
                `X-RateLimit-Remaining`, and a request over the limit gets 429 with `Retry-After`. \
                Every error answer is `{code, message}`; messages follow `Accept-Language` (en, ar, th).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (`sbk_…`) or a desk session token.",
                },
            },
            "schemas": registry.schemas,
        },
    })
}

fn permission_text(needs: Needs) -> (String, Vec<&'static str>) {
    match needs {
        Needs::Nobody => ("No credentials needed.".into(), vec![]),
        Needs::Caller => (
            "Any caller; the answer covers what the caller's permissions let it read.".into(),
            vec![],
        ),
        Needs::Person => (
            "A person signed in to the desk; API tokens are refused with 403.".into(),
            vec![],
        ),
        Needs::AnyOf(permissions) => {
            let names: Vec<&'static str> = permissions.iter().map(|p| p.as_str()).collect();
            let text = match names.as_slice() {
                [one] => format!("Needs the `{one}` permission."),
                many => format!(
                    "Needs one of the permissions {}.",
                    many.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            (text, names)
        }
    }
}

fn describe(operation: &Operation, registry: &mut Registry) -> Value {
    let (permission_text, permissions) = permission_text(operation.needs);
    let mut described = json!({
        "summary": operation.summary,
        "description": permission_text,
        "operationId": format!("{} {}", operation.method, operation.path),
        "x-permissions": permissions,
    });
    if !matches!(operation.needs, Needs::Nobody) {
        described["security"] = json!([{ "bearer": [] }]);
    }
    let parameters: Vec<Value> = operation
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            let kind = if name == "id" { "integer" } else { "string" };
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": kind } })
        })
        .collect();
    if !parameters.is_empty() {
        described["parameters"] = Value::Array(parameters);
    }
    if let Some(body) = operation.body {
        described["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": body(registry) } },
        });
    } else if let Some(media_type) = operation.raw_body {
        described["requestBody"] = json!({
            "required": true,
            "content": { media_type: { "schema": {} } },
        });
    }
    let mut responses = Map::new();
    match operation.answer {
        Answer::Json(status, schema) => {
            responses.insert(
                status.to_string(),
                json!({ "description": "Success.", "content": { "application/json": { "schema": schema(registry) } } }),
            );
        }
        Answer::JsonTs(status, ts) => {
            let schema = schema::parse(ts).unwrap_or_else(|error| panic!("{ts}: {error}"));
            responses.insert(
                status.to_string(),
                json!({ "description": "Success.", "content": { "application/json": { "schema": schema } } }),
            );
        }
        Answer::Empty(status) => {
            responses.insert(status.to_string(), json!({ "description": "Done." }));
        }
        Answer::File(media_types) => {
            let content: Map<String, Value> = media_types
                .iter()
                .map(|t| ((*t).to_owned(), json!({ "schema": {} })))
                .collect();
            responses.insert(
                "200".into(),
                json!({ "description": "The content.", "content": content }),
            );
        }
        Answer::Upgrade => {
            responses.insert(
                "101".into(),
                json!({ "description": "Switching to the WebSocket protocol." }),
            );
        }
    }
    if !matches!(operation.needs, Needs::Nobody) {
        responses.insert(
            "429".into(),
            json!({
                "description": "The API token is over its rate limit; retry after `Retry-After` seconds.",
                "content": { "application/json": { "schema": reference("RateLimitExceeded") } },
            }),
        );
    }
    responses.insert(
        "default".into(),
        json!({
            "description": "An error: `{code, message}`, the message saying what to fix.",
            "content": { "application/json": { "schema": reference("ApiError") } },
        }),
    );
    described["responses"] = Value::Object(responses);
    described
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_reference_resolves() {
        let document = document();
        let text = document.to_string();
        let schemas = document["components"]["schemas"].as_object().unwrap();
        for (at, _) in text.match_indices(COMPONENTS) {
            let rest = &text[at + COMPONENTS.len()..];
            let name = &rest[..rest.find('"').unwrap()];
            assert!(
                schemas.contains_key(name),
                "{name} is referenced but not described"
            );
        }
        assert!(schemas.values().all(|s| !s.is_null()));
    }

    #[test]
    fn operations_say_which_permission_they_need() {
        let document = document();
        let contacts = &document["paths"]["/api/v1/contacts"]["get"];
        assert_eq!(contacts["x-permissions"], json!(["manage_contacts"]));
        assert_eq!(contacts["security"], json!([{ "bearer": [] }]));
        assert_eq!(
            contacts["responses"]["200"]["content"]["application/json"]["schema"],
            reference("ContactPage")
        );
        let login = &document["paths"]["/api/v1/login"]["post"];
        assert!(login.get("security").is_none());
        assert_eq!(
            login["responses"]["default"]["content"]["application/json"]["schema"],
            reference("ApiError")
        );
    }
}
