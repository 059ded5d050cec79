//! Locations: both coordinates, within range.

use super::{invalid, missing, text_at, Refused};
use serde_json::Value;

/// A coordinate at `field`: Meta sends numbers and its schema says strings, so both are read.
fn coordinate(request: &Value, field: &str, limit: f64) -> Result<f64, Refused> {
    let place = format!("location['{field}']");
    let value = request
        .pointer(&format!("/location/{field}"))
        .ok_or_else(|| missing(&place))?;
    let number = value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse::<f64>().ok()))
        .ok_or_else(|| invalid(format!("Param {place} must be a number.")))?;
    if !(-limit..=limit).contains(&number) {
        return Err(invalid(format!(
            "Param {place} must be between -{limit} and {limit}, not {number}."
        )));
    }
    Ok(number)
}

/// A location; returns its one-line summary.
pub(super) fn read(request: &Value) -> Result<String, Refused> {
    request.get("location").ok_or_else(|| missing("location"))?;
    coordinate(request, "latitude", 90.0)?;
    coordinate(request, "longitude", 180.0)?;
    let place =
        text_at(request, "/location/name").or_else(|| text_at(request, "/location/address"));
    Ok(place.map_or_else(|| "[location]".into(), |p| format!("[location] {p}")))
}

#[cfg(test)]
mod tests {
    use super::super::{read, refusal, request_of as send};
    use serde_json::{json, Value};

    #[test]
    fn locations_need_coordinates_in_range() {
        let location = |latitude: Value, longitude: Value| {
            send(
                "location",
                json!({ "latitude": latitude, "longitude": longitude, "name": "META HQ" }),
            )
        };
        let accepted = read(&location(json!(37.758056), json!(-122.425332)), &[]).unwrap();
        assert_eq!(accepted.summary, "[location] META HQ");
        assert!(accepted.free_form);
        // The document's schema types coordinates as strings.
        assert!(read(&location(json!("37.4847"), json!("-122.1486")), &[]).is_ok());
        for (latitude, longitude) in [(90.5, 0.0), (-91.0, 0.0), (0.0, 180.5), (0.0, -181.0)] {
            let (code, why) = refusal(&location(json!(latitude), json!(longitude)));
            assert!(code == 131009 && why.contains("must be between"), "{why}");
        }
        assert_eq!(refusal(&location(json!("north"), json!(0))).0, 131009);
        let (code, why) = refusal(&send("location", json!({ "longitude": 1.0 })));
        assert!(
            code == 131008 && why.contains("location['latitude']"),
            "{why}"
        );
    }
}
