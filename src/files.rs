//! Reading the files an offer names, safely: only regular files (a folder, a
//! FIFO or a device named as a logo must not hang the run), never more than a
//! limit, and finding manifests in folders without following links.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Missing,
    /// Missing, and the path holds `\`, which only Windows reads as a folder
    /// separator: the same manifest must work in a pipeline on Linux.
    MissingWithBackslashes,
    /// A path from the manifest holds `\`: found on Windows, missing
    /// elsewhere, so refused everywhere.
    Backslashes,
    /// A path from the manifest differs in case from the name on disk: found
    /// on Windows and macOS, missing on Linux, so refused everywhere.
    CaseDiffers {
        written: String,
        on_disk: String,
    },
    NotAFile(&'static str),
    TooLarge {
        limit: u64,
    },
    Io(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::MissingWithBackslashes => f.write_str(
                "no such file (write `/` between folders: `\\` separates folders on Windows only)",
            ),
            ReadError::Backslashes => f.write_str(
                "write `/` between folders: `\\` separates folders on Windows only, so a pipeline on Linux or macOS would not find it",
            ),
            ReadError::CaseDiffers { written, on_disk } => write!(
                f,
                "the file is named `{}`, not `{}`: write it as on disk, since Linux tells capitals apart",
                crate::report::excerpt(on_disk),
                crate::report::excerpt(written)
            ),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {}", human_bytes(*limit))
            }
            ReadError::Io(error) => f.write_str(error),
        }
    }
}

/// Reads a file the manifest names, `relative` to the manifest's `folder`,
/// with the same answer on every system: Windows would also find a path
/// written with `\\`, and Windows and macOS one whose capitals differ from
/// the names on disk, where Linux, and so most pipelines, would not.
pub fn read_named(folder: &Path, relative: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    if relative.contains('\\') {
        return Err(ReadError::Backslashes);
    }
    if let Some((written, on_disk)) = case_difference(folder, Path::new(relative)) {
        return Err(ReadError::CaseDiffers { written, on_disk });
    }
    read_bounded(&folder.join(relative), limit)
}

/// The first name along `relative` that exists on disk only with other
/// capitals, with its name on disk. Only a name that is missing as written
/// is looked up, in its folder's listing.
fn case_difference(folder: &Path, relative: &Path) -> Option<(String, String)> {
    let mut current = folder.to_path_buf();
    for component in relative.components() {
        let std::path::Component::Normal(name) = component else {
            current.push(component);
            continue;
        };
        let written = name.to_string_lossy();
        let listing = std::fs::read_dir(&current).ok()?;
        let mut other_case = None;
        for entry in listing.flatten() {
            let entry_name = entry.file_name();
            if entry_name == name {
                other_case = None;
                break;
            }
            let on_disk = entry_name.to_string_lossy();
            if other_case.is_none() && on_disk.to_lowercase() == written.to_lowercase() {
                other_case = Some(on_disk.into_owned());
            }
        }
        if let Some(on_disk) = other_case {
            return Some((written.into_owned(), on_disk));
        }
        current.push(name);
    }
    None
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound if !cfg!(windows) && path.to_string_lossy().contains('\\') => {
            ReadError::MissingWithBackslashes
        }
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(error.to_string()),
    })?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a folder"
        } else {
            "a special file (a device, a pipe or a socket)"
        };
        return Err(ReadError::NotAFile(kind));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = File::open(path).map_err(|error| ReadError::Io(error.to_string()))?;
    if metadata.len() == 0 {
        // An empty file, or a pseudo-file (under /proc, say) that claims no
        // size and may never end: read it where a stall cannot hold the run.
        return read_with_deadline(file, limit);
    }
    read_to_limit(file, limit, usize::try_from(metadata.len()).unwrap_or(0))
}

/// How long a file that claims to be empty may take to read.
pub const PSEUDO_FILE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

fn read_to_limit(file: File, limit: u64, expected: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(expected);
    // The file may have grown since it was measured.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io(error.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

fn read_with_deadline(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The receiver may be gone after the deadline; nothing is lost then.
        let _ = sender.send(read_to_limit(file, limit, 0));
    });
    receiver
        .recv_timeout(PSEUDO_FILE_DEADLINE)
        .unwrap_or_else(|_| {
            Err(ReadError::Io(format!(
                "reading it did not finish within {} seconds",
                PSEUDO_FILE_DEADLINE.as_secs()
            )))
        })
}

/// Decodes a text file the manifest names: UTF-8, with an optional byte-order mark.
pub fn utf8_text(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    let mut text = String::from_utf8(bytes)?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// How deep a folder scan goes, and how many manifests it takes at most.
pub const MAX_SCAN_DEPTH: usize = 32;
pub const MAX_SCAN_MANIFESTS: usize = 10_000;
/// The name a manifest has when a folder is scanned.
pub const MANIFEST_NAME: &str = "offer.toml";

/// What a folder scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub manifests: Vec<PathBuf>,
    /// Problems met on the way (an unreadable folder, a limit reached).
    pub problems: Vec<String>,
}

/// Every `offer.toml` beneath `folder`, sorted, without following symbolic
/// links. What the scan could not search (a limit reached, a folder that
/// cannot be read) is a problem: the run cannot say every offer was checked.
pub fn find_manifests(folder: &Path) -> Scan {
    let mut scan = Scan::default();
    let shown = crate::source::display_path(folder);
    // One level more than is searched, to tell whether anything lies beyond.
    let walk = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .max_depth(MAX_SCAN_DEPTH + 1)
        .sort_by_file_name();
    let mut too_deep = false;
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                scan.problems.push(format!(
                    "{shown}: not every folder could be searched: {error}"
                ));
                continue;
            }
        };
        let file_type = entry.file_type();
        let manifest = entry.file_name() == MANIFEST_NAME;
        if entry.depth() > MAX_SCAN_DEPTH {
            if !too_deep && (file_type.is_dir() || manifest) {
                too_deep = true;
                scan.problems.push(format!(
                    "{shown}: folders more than {MAX_SCAN_DEPTH} levels deep were not searched (the first: {})",
                    crate::source::display_path(entry.path())
                ));
            }
            continue;
        }
        // A manifest that is not a regular file (a pipe, a device) is taken,
        // so that reading it says what it is; a link is not followed.
        if manifest && !file_type.is_dir() && !file_type.is_symlink() {
            if scan.manifests.len() == MAX_SCAN_MANIFESTS {
                scan.problems.push(format!(
                    "{shown} holds more than {MAX_SCAN_MANIFESTS} manifests; only the first {MAX_SCAN_MANIFESTS} were checked"
                ));
                break;
            }
            scan.manifests.push(entry.into_path());
        }
    }
    scan
}

fn human_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_not_read_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_bounded(dir.path(), 10),
            Err(ReadError::NotAFile("a folder"))
        );
    }

    #[cfg(not(windows))]
    #[test]
    fn a_missing_file_written_with_backslashes_says_to_use_slashes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("logos")).unwrap();
        std::fs::write(dir.path().join("logos/small.png"), b"png").unwrap();
        let error = read_bounded(&dir.path().join("logos\\small.png"), 10).unwrap_err();
        assert_eq!(error, ReadError::MissingWithBackslashes);
        assert!(error.to_string().contains("write `/` between folders"));
    }

    #[test]
    fn a_path_from_the_manifest_with_backslashes_is_refused_where_the_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("logos")).unwrap();
        std::fs::write(dir.path().join("logos/small.png"), b"png").unwrap();
        let error = read_named(dir.path(), "logos\\small.png", 10).unwrap_err();
        assert_eq!(error, ReadError::Backslashes);
        assert!(error.to_string().starts_with("write `/` between folders"));
        assert_eq!(
            read_named(dir.path(), "logos/small.png", 10).unwrap(),
            b"png"
        );
    }

    #[test]
    fn a_name_from_the_manifest_in_other_capitals_is_refused_on_every_system() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("listing/logos")).unwrap();
        std::fs::write(dir.path().join("listing/logos/small.png"), b"png").unwrap();
        assert_eq!(
            read_named(dir.path(), "listing/logos/Small.png", 10),
            Err(ReadError::CaseDiffers {
                written: "Small.png".to_owned(),
                on_disk: "small.png".to_owned()
            })
        );
        let error = read_named(dir.path(), "Listing/logos/small.png", 10).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the file is named `listing`, not `Listing`: write it as on disk, since Linux tells capitals apart"
        );
        let inner = dir.path().join("listing/logos");
        assert_eq!(
            read_named(&inner, "../logos/./small.png", 10).unwrap(),
            b"png"
        );
        assert_eq!(
            read_named(&inner, "missing.png", 10),
            Err(ReadError::Missing)
        );
    }

    #[test]
    fn a_missing_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_bounded(&dir.path().join("nope.png"), 10),
            Err(ReadError::Missing)
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, [0u8; 11]).unwrap();
        assert_eq!(
            read_bounded(&path, 10),
            Err(ReadError::TooLarge { limit: 10 })
        );
        assert_eq!(read_bounded(&path, 11).unwrap().len(), 11);
    }

    #[test]
    fn text_may_start_with_a_byte_order_mark() {
        assert_eq!(utf8_text(b"\xef\xbb\xbfhi".to_vec()).unwrap(), "hi");
    }

    #[test]
    fn manifests_in_a_folder_are_found_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["b", "a", "a/deeper"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join(MANIFEST_NAME), "").unwrap();
        }
        std::fs::write(dir.path().join("other.toml"), "").unwrap();
        let scan = find_manifests(dir.path());
        let found: Vec<_> = scan
            .manifests
            .iter()
            .map(|path| path.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            found,
            [
                Path::new("a/deeper/offer.toml"),
                Path::new("a/offer.toml"),
                Path::new("b/offer.toml")
            ]
        );
    }
}
