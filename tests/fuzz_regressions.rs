//! Replays every input kept in tests/fuzz-regressions/<target>/ through the
//! fuzz target's entry point: what fuzzing once found stays fixed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            continue;
        }
        run(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count > 0, "no input in {}", folder.display());
}

#[test]
fn manifest_inputs_found_by_fuzzing_are_handled() {
    replay("manifest", offercheck::fuzz::manifest);
}

#[test]
fn description_inputs_found_by_fuzzing_are_handled() {
    replay("description", offercheck::fuzz::description);
}

#[test]
fn logo_inputs_found_by_fuzzing_are_handled() {
    replay("logo", offercheck::fuzz::logo);
}

#[test]
fn network_inputs_found_by_fuzzing_are_handled() {
    replay("network", offercheck::fuzz::network);
}

#[test]
fn package_inputs_found_by_fuzzing_are_handled() {
    replay("package", offercheck::fuzz::package);
}

#[test]
fn document_inputs_found_by_fuzzing_are_handled() {
    replay("document", offercheck::fuzz::document);
}
