//! Help in writing an offer: `logos` makes the policy's logos from one
//! image, `schema` gives editors the manifest's shape.

pub mod logos;
pub mod schema;
