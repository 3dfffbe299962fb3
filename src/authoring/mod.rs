//! Help in writing an offer: `schema` gives editors the manifest's shape.

pub mod schema;
