//! Segment expressions: parsing, printing and evaluating.
