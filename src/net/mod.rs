//! The network half of the checks: which destinations may be contacted at all.

pub mod public;
