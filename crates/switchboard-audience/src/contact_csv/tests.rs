use super::*;

fn read(text: &str, default_country: Option<&str>) -> Vec<Result<ContactRow, RowProblem>> {
    let options = ReadOptions {
        default_country: default_country.map(str::to_owned),
    };
    ContactReader::new(text.as_bytes(), options).collect()
}

fn rows(text: &str) -> Vec<ContactRow> {
    read(text, None)
        .into_iter()
        .map(|row| row.unwrap_or_else(|problem| panic!("{problem}")))
        .collect()
}

fn problems(text: &str, default_country: Option<&str>) -> Vec<RowProblem> {
    read(text, default_country)
        .into_iter()
        .filter_map(Result::err)
        .collect()
}

#[test]
fn a_spreadsheet_export_with_aliases_in_any_order_reads_every_field() {
    let text = "\u{FEFF}Mobile,First Name,Last Name,Lang,Country,Labels,Comments,Opt-in Source,Opt-in Date,Unsubscribed,Plan,Empty\r\n\
                +966 50 123 4567,Mariam,Al-Harbi,ar-SA,SA,vip;gold,\"Prefers\r\nmornings\",web form,2024-03-31,no,Premium,\r\n\
                081 234 5678,Somchai,,Thai,TH,\"lead, bangkok\",,,2024-03-31T14:30:00+07:00,2024-05-01,,\r\n";
    let rows = rows(text);
    assert_eq!(rows.len(), 2);
    let mariam = &rows[0];
    assert_eq!(mariam.line, 2);
    assert_eq!(mariam.phone.wa_id(), "966501234567");
    assert_eq!(mariam.name.as_deref(), Some("Mariam Al-Harbi"));
    assert_eq!(mariam.language.as_deref(), Some("ar"));
    assert_eq!(mariam.country.as_deref(), Some("SA"));
    assert_eq!(mariam.tags, ["vip", "gold"]);
    assert_eq!(mariam.notes.as_deref(), Some("Prefers\r\nmornings"));
    assert_eq!(mariam.consent_source.as_deref(), Some("web form"));
    assert_eq!(mariam.consent_at, Some(1_711_843_200_000));
    assert_eq!(mariam.opted_out, Some(OptOut::No));
    assert_eq!(
        mariam.attributes,
        BTreeMap::from([("Plan".to_owned(), "Premium".to_owned())])
    );
    let somchai = &rows[1];
    // The record after a cell with a line break starts on line 4.
    assert_eq!(somchai.line, 4);
    // The row's country reads a national number.
    assert_eq!(somchai.phone.wa_id(), "66812345678");
    assert_eq!(somchai.name.as_deref(), Some("Somchai"));
    assert_eq!(somchai.language.as_deref(), Some("th"));
    assert_eq!(somchai.tags, ["lead", "bangkok"]);
    assert_eq!(somchai.consent_at, Some(1_711_870_200_000));
    assert_eq!(
        somchai.opted_out,
        Some(OptOut::Yes {
            at: Some(1_714_521_600_000)
        })
    );
    assert!(
        somchai.attributes.is_empty(),
        "empty cells are no attributes"
    );
}

#[test]
fn european_excel_files_use_semicolons() {
    let text = "Name;Telefon Nummer;WhatsApp;Tags\nJana;+49 30 1234567;+49 1512 3456789;a,b\n";
    let mut reader = ContactReader::new(text.as_bytes(), ReadOptions::default());
    let row = reader.next().unwrap().unwrap();
    assert_eq!(reader.delimiter(), ';');
    assert_eq!(row.phone.wa_id(), "4915123456789", "whatsapp wins");
    assert_eq!(row.tags, ["a", "b"]);
    assert_eq!(
        row.attributes.get("Telefon_Nummer").map(String::as_str),
        Some("+49 30 1234567")
    );
    assert!(reader.next().is_none());
}

#[test]
fn the_first_non_empty_phone_column_is_used() {
    let text = "phone,mobile\n+966 50 123 4567,\n+966 50 123 4567,+66 81 234 5678\n";
    let rows = rows(text);
    assert_eq!(rows[0].phone.wa_id(), "966501234567");
    assert_eq!(rows[1].phone.wa_id(), "66812345678", "mobile before phone");
}

#[test]
fn bad_rows_name_their_line_column_and_value_and_the_rest_are_read() {
    let text = "phone,name,language,consent_at,opted_out,country\n\
                +966 50 123 4567,Ok,,,,\n\
                050 123 4567,No country,,,,\n\
                +966 12,Short,,,,\n\
                call me,Words,,,,\n\
                ,Nobody,,,,\n\
                +66 81 234 5678,Lang,fr,,,\n\
                \"+66 81 234 5679\",\"Multi\nline\",,31/03/2024,,\n\
                +66 81 234 5670,Opt,,,maybe,\n\
                +66 81 234 5671,Land,,,,Atlantis\n\
                +66 81 234 5672,Fine too,,,,\n";
    let results = read(text, None);
    let found: Vec<(u64, &str, &str, &str)> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|p| (p.line, p.column.as_str(), p.code(), p.value.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "phone", "phone_no_country", "050 123 4567"),
            (4, "phone", "phone_invalid", "+966 12"),
            (5, "phone", "phone_unreadable", "call me"),
            (6, "phone", "phone_missing", ""),
            (7, "language", "bad_language", "fr"),
            (8, "consent_at", "bad_date", "31/03/2024"),
            (10, "opted_out", "bad_opted_out", "maybe"),
            (11, "country", "bad_country", "Atlantis"),
        ]
    );
    let read_lines: Vec<u64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.line)
        .collect();
    assert_eq!(read_lines, [2, 12]);
    let message = results[1].as_ref().unwrap_err().to_string();
    assert!(
        message.contains("line 3") && message.contains("country code"),
        "{message}"
    );
}

#[test]
fn a_default_country_reads_national_numbers_and_a_row_country_overrides_it() {
    let text = "phone,country\n050 123 4567,\n081 234 5678,TH\n";
    let rows: Vec<ContactRow> = read(text, Some("SA"))
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows[0].phone.wa_id(), "966501234567");
    assert_eq!(rows[1].phone.wa_id(), "66812345678");
}

#[test]
fn header_problems_are_one_problem_on_line_one() {
    for (text, code) in [
        ("name,email\nAnn,ann@example.com\n", "no_phone_column"),
        ("", "empty_file"),
        ("\r\n  \r\n", "empty_file"),
        (
            "phone,name,Full Name\n+966501234567,a,b\n",
            "duplicate_column",
        ),
        ("phone,Plan,Plan\n+966501234567,a,b\n", "duplicate_column"),
    ] {
        let problems = problems(text, None);
        assert_eq!(problems.len(), 1, "{text:?}: {problems:?}");
        assert_eq!(problems[0].line, 1, "{text:?}");
        assert_eq!(problems[0].code(), code, "{text:?}");
    }
}

#[test]
fn repeated_numbers_are_marked_not_refused() {
    let text = "phone,name\n+966501234567,A\n00966 50 123 4567,B\n+66812345678,C\n";
    let repeated: Vec<bool> = rows(text).iter().map(|r| r.repeated).collect();
    assert_eq!(repeated, [false, true, false]);
}

#[test]
fn rows_longer_than_the_header_and_cells_that_are_not_utf8_are_refused() {
    let mut bytes = b"phone,name\n+966501234567,a,b\n+966501234568,".to_vec();
    bytes.extend_from_slice(b"\xff\xfe\n+966501234569,ok\n");
    let results: Vec<_> = ContactReader::new(&bytes[..], ReadOptions::default()).collect();
    let codes: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(row) => format!("ok {}", row.line),
            Err(p) => format!("{} {} {}", p.code(), p.line, p.column),
        })
        .collect();
    assert_eq!(
        codes,
        ["too_many_fields 2 ", "not_utf8 3 name", "ok 4"],
        "{results:?}"
    );
}

#[test]
fn a_file_without_line_breaks_is_refused_without_reading_it_all() {
    let endless = std::io::repeat(b'x').take(4 * MAX_LINE_BYTES as u64);
    let results: Vec<_> = ContactReader::new(endless, ReadOptions::default()).collect();
    assert_eq!(results.len(), 1);
    let problem = results[0].as_ref().unwrap_err();
    assert!(
        matches!(problem.code(), "unreadable" | "no_phone_column"),
        "{problem}"
    );
}

#[test]
fn formula_cells_are_written_guarded_and_read_back_unchanged() {
    let contact = ContactRecord {
        phone: "+966501234567".into(),
        name: Some("=HYPERLINK(\"http://evil\")".into()),
        notes: "@SUM(A1)".into(),
        tags: vec!["-1".into()],
        attributes: BTreeMap::from([
            ("mobile".to_owned(), "+1".to_owned()),
            ("quoted".to_owned(), "'=already".to_owned()),
        ]),
        ..ContactRecord::default()
    };
    let columns = ContactColumns::new(contact.attributes.keys().cloned());
    let mut file = columns.header();
    file.extend(columns.rows([&contact]));
    let text = String::from_utf8(file).unwrap();
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} in {text}"
            );
        }
    }
    assert!(text.starts_with("phone,name,"), "{text}");
    assert!(text.contains("attribute:mobile"), "{text}");
    let row = rows(&text).pop().unwrap();
    assert_eq!(row.name, contact.name);
    assert_eq!(row.notes.as_deref(), Some("@SUM(A1)"));
    assert_eq!(row.tags, ["-1"]);
    assert_eq!(row.attributes, contact.attributes);
}

#[test]
fn tags_holding_bars_round_trip() {
    for tags in [
        vec!["a | b".to_owned()],
        vec!["x|y".to_owned(), "z".to_owned()],
    ] {
        let contact = ContactRecord {
            phone: "+66812345678".into(),
            tags: tags.clone(),
            ..ContactRecord::default()
        };
        let columns = ContactColumns::new([]);
        let mut file = columns.header();
        file.extend(columns.rows([&contact]));
        let row = rows(std::str::from_utf8(&file).unwrap()).pop().unwrap();
        assert_eq!(row.tags, tags);
    }
}

#[test]
fn dates_and_yes_no_in_several_spellings() {
    assert_eq!(cells::instant("1970-01-02"), Some(86_400_000));
    assert_eq!(cells::instant("1970-01-01 00:01"), Some(60_000));
    assert_eq!(cells::instant("1970-01-01T00:00:01.5Z"), Some(1_500));
    assert_eq!(cells::instant("31/03/2024"), None);
    assert_eq!(cells::instant_cell(1_500), "1970-01-01T00:00:01.500Z");
    assert_eq!(cells::instant_cell(86_400_000), "1970-01-02T00:00:00Z");
    assert_eq!(cells::opt_out("TRUE"), Some(OptOut::Yes { at: None }));
    assert_eq!(cells::opt_out("نعم"), Some(OptOut::Yes { at: None }));
    assert_eq!(cells::opt_out("0"), Some(OptOut::No));
    assert_eq!(cells::opt_out("ไม่"), Some(OptOut::No));
    assert_eq!(country_code("sa").as_deref(), Some("SA"));
    assert_eq!(country_code("XX"), None);
    assert_eq!(country_code("Saudi"), None);
}

#[test]
fn columns_that_cannot_name_a_custom_field_are_skipped_and_reported_once() {
    let text = "phone,المدينة,2nd line,Customer Since\n+966501234567,الرياض,x,2020\n+966501234568,جدة,y,2021\n";
    let results = read(text, None);
    let skipped: Vec<(u64, &str, &str)> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|p| (p.line, p.column.as_str(), p.code()))
        .collect();
    assert_eq!(
        skipped,
        [
            (1, "المدينة", "bad_column_name"),
            (1, "2nd line", "bad_column_name")
        ]
    );
    let rows: Vec<&ContactRow> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].attributes,
        BTreeMap::from([("Customer_Since".to_owned(), "2020".to_owned())])
    );
}

#[test]
fn cells_over_a_contacts_limits_are_refused() {
    let long_name = "n".repeat(MAX_NAME_CHARS + 1);
    let text = format!(
        "phone,name,tags\n+966501234567,{long_name},\n+966501234568,ok,\"a,b;c\"\n+966501234569,ok,fine\n"
    );
    let codes: Vec<String> = read(&text, None)
        .iter()
        .map(|r| match r {
            Ok(row) => format!("ok {}", row.line),
            Err(p) => format!("{} {} {}", p.code(), p.line, p.column),
        })
        .collect();
    assert_eq!(codes, ["too_long 2 name", "bad_tag 3 tags", "ok 4"]);
}
