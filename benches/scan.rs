//! How long a folder scan takes: a repository of offers among the folders a
//! scan leaves out, and `.gitignore` files written to be as costly as the
//! scan's limits let them be (their memory is bounded in tests/hostile.rs:
//! the walk runs on a thread of its own, which divan's allocation counter
//! does not see). Run with `cargo bench --bench scan`.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::Path;

use offercheck::files::{self, MAX_GITIGNORE_BYTES, MAX_GITIGNORE_TOTAL_BYTES};

fn main() {
    divan::main();
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A git repository of 1,000 offers, each beside a `node_modules` of 20
/// packages and a `target` folder, with a `.gitignore` in every tenth.
#[divan::bench(sample_count = 10)]
fn repository_of_a_thousand_offers(bencher: divan::Bencher) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    write(&root.path().join(".gitignore"), "build/\n*.log\n");
    for offer in 0..1000 {
        let folder = root.path().join(format!("offers/{offer:04}"));
        write(&folder.join("offer.toml"), "[offer]\n");
        write(&folder.join("build/offer.toml"), "[offer]\n");
        write(&folder.join("target/debug/offer.toml"), "[offer]\n");
        for package in 0..20 {
            write(
                &folder.join(format!("node_modules/p{package}/offer.toml")),
                "",
            );
        }
        if offer % 10 == 0 {
            write(&folder.join(".gitignore"), "drafts/\n");
        }
    }
    bencher.bench(|| {
        let scan = files::find_manifests(root.path());
        assert_eq!(scan.manifests.len(), 1000);
        scan
    });
}

/// `.gitignore` files of patterns that are costly to compile, each at the
/// size limit, nested so that all are in force at once, until their total
/// reaches the scan's limit: the most a hostile repository gets the scan to
/// compile.
#[divan::bench(sample_count = 5)]
fn costly_gitignores_at_the_limits(bencher: divan::Bencher) {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    let mut folder = root.path().join("offers");
    let files = MAX_GITIGNORE_TOTAL_BYTES / MAX_GITIGNORE_BYTES;
    for level in 0..files {
        let mut text = String::new();
        let mut index = 0;
        loop {
            let line = format!("*{level}x{index}*{index}*{index}*\n");
            if (text.len() + line.len()) as u64 > MAX_GITIGNORE_BYTES {
                break;
            }
            text.push_str(&line);
            index += 1;
        }
        write(&folder.join(".gitignore"), &text);
        folder.push(format!("level-{level}"));
    }
    write(&folder.join("offer.toml"), "[offer]\n");
    bencher.bench(|| {
        let scan = files::find_manifests(&root.path().join("offers"));
        assert_eq!(scan.manifests.len(), 1, "{:?}", scan.problems);
        scan
    });
}
