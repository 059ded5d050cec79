//! Contact lists read from CSV files.
