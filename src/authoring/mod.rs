//! Help in writing an offer: `init` starts a manifest, `logos` makes the
//! policy's logos from one image, `schema` gives editors the manifest's shape.

pub mod init;
pub mod logos;
pub mod schema;
