//! Who a message goes to. Segments are saved boolean expressions over what Switchboard knows
//! about a contact (tags, country, business number, last inbound message, the 24-hour window,
//! consent); contact lists from an earlier system arrive as CSV files. Both are outside input,
//! so both parsers say exactly what to fix and never panic.

pub mod contact_csv;
pub mod segment;

pub use segment::{ContactFacts, Expression, NumberActivity, SegmentError, Term};
