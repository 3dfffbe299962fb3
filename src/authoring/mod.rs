//! Help in writing an offer: `init` starts a manifest, `logos` makes the
//! policy's logos from one image.

pub mod init;
pub mod logos;
