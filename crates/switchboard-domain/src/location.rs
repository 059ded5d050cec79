//! A place a business shares: coordinates in decimal degrees, with an optional name and address.

/// What is wrong with a location, if anything.
pub(crate) fn location_problem(
    latitude: f64,
    longitude: f64,
    name: &Option<String>,
    address: &Option<String>,
) -> Option<String> {
    if !(-90.0..=90.0).contains(&latitude) {
        return Some(format!(
            "The latitude must be between -90 and 90 degrees, not {latitude}."
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Some(format!(
            "The longitude must be between -180 and 180 degrees, not {longitude}."
        ));
    }
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Some("The place's name is empty; write one or leave it out.".into());
    }
    if address.as_deref().is_some_and(|a| a.trim().is_empty()) {
        return Some("The address is empty; write one or leave it out.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(latitude: f64, longitude: f64) -> Option<String> {
        location_problem(
            latitude,
            longitude,
            &Some("META HQ".into()),
            &Some("1 Hacker Way, Menlo Park, CA 94025".into()),
        )
    }

    #[test]
    fn each_location_limit_can_fail() {
        assert_eq!(place(37.758056, -122.425332), None);
        assert_eq!(place(90.0, -180.0), None);
        assert_eq!(place(-90.0, 180.0), None);
        for latitude in [90.5, -91.0, f64::NAN, f64::INFINITY] {
            assert!(
                place(latitude, 0.0).unwrap().contains("latitude"),
                "{latitude}"
            );
        }
        for longitude in [180.1, -181.0, f64::NAN] {
            assert!(
                place(0.0, longitude).unwrap().contains("longitude"),
                "{longitude}"
            );
        }
        assert!(location_problem(0.0, 0.0, &Some(" ".into()), &None)
            .unwrap()
            .contains("name is empty"));
        assert!(location_problem(0.0, 0.0, &None, &Some("".into()))
            .unwrap()
            .contains("address is empty"));
        assert_eq!(location_problem(0.0, 0.0, &None, &None), None);
    }
}
