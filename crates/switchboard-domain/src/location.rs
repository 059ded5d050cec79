//! A place a business shares: coordinates in decimal degrees, with an optional name and address.

use crate::content_rules::ContentProblem;

/// What is wrong with a location, if anything.
pub(crate) fn location_problem(
    latitude: f64,
    longitude: f64,
    name: &Option<String>,
    address: &Option<String>,
) -> Option<ContentProblem> {
    if !(-90.0..=90.0).contains(&latitude) {
        return Some(ContentProblem::Latitude { value: latitude });
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Some(ContentProblem::Longitude { value: longitude });
    }
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Some(ContentProblem::PlaceNameEmpty);
    }
    if address.as_deref().is_some_and(|a| a.trim().is_empty()) {
        return Some(ContentProblem::AddressEmpty);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(latitude: f64, longitude: f64) -> Option<ContentProblem> {
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
                matches!(place(latitude, 0.0), Some(ContentProblem::Latitude { value }) if value.to_bits() == latitude.to_bits()),
                "{latitude}"
            );
        }
        for longitude in [180.1, -181.0, f64::NAN] {
            assert!(
                matches!(place(0.0, longitude), Some(ContentProblem::Longitude { value }) if value.to_bits() == longitude.to_bits()),
                "{longitude}"
            );
        }
        assert_eq!(
            location_problem(0.0, 0.0, &Some(" ".into()), &None),
            Some(ContentProblem::PlaceNameEmpty)
        );
        assert_eq!(
            location_problem(0.0, 0.0, &None, &Some("".into())),
            Some(ContentProblem::AddressEmpty)
        );
        assert_eq!(location_problem(0.0, 0.0, &None, &None), None);
    }
}
