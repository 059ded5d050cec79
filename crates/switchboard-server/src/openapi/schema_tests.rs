use super::*;
use proptest::prelude::*;

#[test]
fn objects_unions_and_maps_become_json_schema() {
    let schema = parse_decl(
        r#"type Thing = { /** The id. */ id: number, name?: string | null, "type": "a", tags: Array<Tag>, counts: { [key in Reason]?: number }, pair: [string, bigint], };"#,
    )
    .unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(
        schema["required"],
        json!(["id", "type", "tags", "counts", "pair"])
    );
    assert_eq!(schema["properties"]["id"], json!({ "type": "number" }));
    assert_eq!(
        schema["properties"]["name"],
        json!({ "anyOf": [{ "type": "string" }, { "type": "null" }] })
    );
    assert_eq!(schema["properties"]["type"], json!({ "const": "a" }));
    assert_eq!(
        schema["properties"]["tags"],
        json!({ "type": "array", "items": { "$ref": "#/components/schemas/Tag" } })
    );
    assert_eq!(
        schema["properties"]["counts"],
        json!({ "type": "object", "additionalProperties": { "type": "number" } })
    );
    assert_eq!(
        schema["properties"]["pair"]["prefixItems"][1],
        json!({ "type": "integer" })
    );
}

#[test]
fn string_unions_become_enums_and_tagged_unions_stay_alternatives() {
    assert_eq!(
        parse_decl(r#"type Role = "agent" | "supervisor" | "admin";"#).unwrap(),
        json!({ "enum": ["agent", "supervisor", "admin"] })
    );
    let tagged = parse(r#"{ "type": "a", x: number } | { "type": "b" } & Extra"#).unwrap();
    assert_eq!(tagged["anyOf"].as_array().unwrap().len(), 2);
    assert!(tagged["anyOf"][1]["allOf"].is_array());
    assert_eq!(
        parse("string[][]").unwrap()["items"]["items"],
        json!({ "type": "string" })
    );
}

#[test]
fn what_is_not_a_type_is_refused_with_where() {
    assert_eq!(
        parse("{ id: }"),
        Err(SchemaError::Unexpected {
            found: "Punct('}')".into(),
            at: 6,
            expected: "a type",
        })
    );
    assert_eq!(parse("Array<string"), Err(SchemaError::End));
    assert_eq!(parse_decl("Foo"), Err(SchemaError::NotADeclaration));
}

#[test]
fn registry_describes_a_type_and_everything_it_uses() {
    let mut registry = Registry::default();
    let schema = registry.schema_of::<Vec<switchboard_protocol::ApiToken>>();
    assert_eq!(schema["items"]["$ref"], "#/components/schemas/ApiToken");
    let token = &registry.schemas["ApiToken"];
    assert!(token["required"]
        .as_array()
        .unwrap()
        .contains(&json!("prefix")));
    assert_eq!(
        token["properties"]["permissions"]["items"]["$ref"],
        "#/components/schemas/Permission"
    );
    let permission = &registry.schemas["Permission"];
    assert!(permission["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("manage_users")));
}

proptest! {
    /// Whatever text it is given, the reader answers a schema or an error, never a panic.
    #[test]
    fn never_panics_on_any_text(text in "[ -~]{0,80}") {
        let _ = parse(&text);
        let _ = parse_decl(&text);
    }

    /// Nor on text built from its own vocabulary, which reaches deeper.
    #[test]
    fn never_panics_on_type_like_text(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "{", "}", "[", "]", "<", ">", "(", ")", "|", "&", ",", ":", "?", ";", "=",
                "type", "in", "key", "string", "number", "Array", "Record", "null", "\"a\"",
                "'b", "/**", "*/", "1", "-2.5", "[]", "Foo",
            ]),
            0..40,
        )
    ) {
        let text = parts.join(" ");
        let _ = parse(&text);
        let _ = parse_decl(&text);
    }
}
