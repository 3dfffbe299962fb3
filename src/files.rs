//! Reading the files an offer names, safely: only regular files (a folder, a
//! FIFO or a device named as a logo must not hang the run), never more than a
//! limit, only inside the offer's folder or the working folder and never
//! under `.git` (safety.md §2), and finding manifests in folders without
//! following links.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::source::{display_path, lexical_path};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Missing; with the path of a file that exists under the same name in
    /// another letter case, which Windows would open and Linux CI does not.
    Missing {
        other_case: Option<String>,
    },
    /// Missing, and the path holds `\`, which only Windows reads as a folder
    /// separator: the same manifest must work in a pipeline on Linux.
    MissingWithBackslashes,
    NotAFile(&'static str),
    TooLarge {
        limit: u64,
    },
    /// The path, its links followed, leaves both the working folder and the
    /// manifest's folder: it is not opened.
    Outside,
    /// The path lies under a folder named `.git`: it is never opened.
    InGit,
    /// A manifest that is a symbolic link leading outside the working folder
    /// or into `.git`: it is not read.
    LinkOutside,
    Io(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing { other_case: None } => f.write_str("no such file"),
            ReadError::Missing {
                other_case: Some(other),
            } => write!(
                f,
                "no such file; `{}` exists, in another letter case (Windows opens it, Linux and macOS pipelines do not): write the name as the file has it",
                crate::text::excerpt(other)
            ),
            ReadError::MissingWithBackslashes => f.write_str(
                "no such file (write `/` between folders: `\\` separates folders on Windows only)",
            ),
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {}", human_bytes(*limit))
            }
            ReadError::Outside => f.write_str(
                "it lies outside the offer's folder and the working folder, so it is not read",
            ),
            ReadError::InGit => f.write_str("it is inside a .git folder, which is never read"),
            ReadError::LinkOutside => f.write_str(
                "it is a symbolic link that leads outside the working folder (or into .git), so it is not read",
            ),
            ReadError::Io(error) => f.write_str(error),
        }
    }
}

/// The folders an offer's files may lie in: the working folder and the
/// manifest's own folder, each as written and with its links resolved.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// Absolute, with `.` and `..` resolved by name.
    lexical: Vec<PathBuf>,
    /// The same folders with every link resolved.
    canonical: Vec<PathBuf>,
    working_dir: Option<PathBuf>,
}

impl Confinement {
    /// The folders of an offer whose manifest lies in `manifest_dir`.
    pub fn new(manifest_dir: &Path) -> Self {
        let working_dir = std::env::current_dir().ok();
        let absolute = |path: &Path| match &working_dir {
            Some(dir) if path.is_relative() => lexical_path(&dir.join(path)),
            _ => lexical_path(path),
        };
        let mut lexical = Vec::new();
        let mut canonical = Vec::new();
        for dir in working_dir
            .iter()
            .map(PathBuf::as_path)
            .chain([manifest_dir])
        {
            lexical.push(absolute(dir));
            if let Ok(resolved) = dunce::canonicalize(dir) {
                canonical.push(resolved);
            }
        }
        Self {
            lexical,
            canonical,
            working_dir,
        }
    }

    /// Reads a regular file of at most `limit` bytes, if it lies inside the
    /// offer's folders, its links followed, and not under `.git`.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_bounded(&self.resolve(path)?, limit)
    }

    /// Opens a regular file of at most `limit` bytes under the same rules as
    /// [`Confinement::read`], for a reader that takes only the parts it
    /// needs (a package zip of 200 MiB); with its length.
    pub fn open(&self, path: &Path, limit: u64) -> Result<(File, u64), ReadError> {
        open_bounded(&self.resolve(path)?, limit)
    }

    /// The file `path` leads to, its links followed, if it may be read.
    fn resolve(&self, path: &Path) -> Result<PathBuf, ReadError> {
        if in_git(path) {
            return Err(ReadError::InGit);
        }
        // Decided by name first, so that nothing is asked of the file
        // system about a place outside (not even whether it exists).
        let absolute = match &self.working_dir {
            Some(dir) if path.is_relative() => lexical_path(&dir.join(path)),
            _ => lexical_path(path),
        };
        if !self.lexical.iter().any(|root| absolute.starts_with(root)) {
            return Err(ReadError::Outside);
        }
        let resolved = match dunce::canonicalize(path) {
            Ok(resolved) => resolved,
            Err(error) => return Err(self.missing(path, &error)),
        };
        if in_git(&resolved) {
            return Err(ReadError::InGit);
        }
        if !self.canonical.iter().any(|root| resolved.starts_with(root)) {
            return Err(ReadError::Outside);
        }
        Ok(resolved)
    }

    /// Why `path` cannot be opened: missing, maybe written in another
    /// letter case or with `\`.
    fn missing(&self, path: &Path, error: &std::io::Error) -> ReadError {
        if error.kind() != std::io::ErrorKind::NotFound {
            return ReadError::Io(error.to_string());
        }
        if !cfg!(windows) && path.to_string_lossy().contains('\\') {
            return ReadError::MissingWithBackslashes;
        }
        ReadError::Missing {
            other_case: other_case(path).map(|found| display_path(&found)),
        }
    }
}

/// Whether a path names something under a folder called `.git`.
fn in_git(path: &Path) -> bool {
    path.components()
        .any(|part| matches!(part, Component::Normal(name) if name.eq_ignore_ascii_case(".git")))
}

/// The path of a file that exists where `path` points but under another
/// letter case (`Logos/Small.PNG` for `logos/small.png`), found folder by
/// folder from the first part that is missing.
fn other_case(path: &Path) -> Option<PathBuf> {
    let mut found = PathBuf::new();
    let mut changed = false;
    for part in path.components() {
        let Component::Normal(name) = part else {
            found.push(part);
            continue;
        };
        let exact = found.join(name);
        if std::fs::symlink_metadata(&exact).is_ok() {
            found = exact;
            continue;
        }
        let wanted = name.to_string_lossy().to_lowercase();
        let dir = if found.as_os_str().is_empty() {
            Path::new(".")
        } else {
            found.as_path()
        };
        let matching = std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .take(10_000)
            .find(|entry| entry.file_name().to_string_lossy().to_lowercase() == wanted)?;
        found.push(matching.file_name());
        changed = true;
    }
    changed.then_some(found)
}

/// Reads a manifest: a regular file of at most `limit` bytes. A manifest that
/// is a symbolic link is read only when it leads to a place inside the
/// working folder and not under `.git`; nothing under `.git` is read.
pub fn read_manifest(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    if in_git(path) {
        return Err(ReadError::InGit);
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if is_link {
        let inside = match (
            dunce::canonicalize(path),
            std::env::current_dir().and_then(dunce::canonicalize),
        ) {
            (Ok(target), Ok(working)) => target.starts_with(&working) && !in_git(&target),
            _ => false,
        };
        if !inside {
            return Err(ReadError::LinkOutside);
        }
    }
    read_bounded(path, limit)
}

/// Opens a regular file of at most `limit` bytes, with its length.
pub fn open_bounded(path: &Path, limit: u64) -> Result<(File, u64), ReadError> {
    let metadata = regular_file(path)?;
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = File::open(path).map_err(|error| ReadError::Io(error.to_string()))?;
    Ok((file, metadata.len()))
}

/// The metadata of a regular file; anything else is an error.
fn regular_file(path: &Path) -> Result<std::fs::Metadata, ReadError> {
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound if !cfg!(windows) && path.to_string_lossy().contains('\\') => {
            ReadError::MissingWithBackslashes
        }
        std::io::ErrorKind::NotFound => ReadError::Missing { other_case: None },
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
    Ok(metadata)
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let metadata = regular_file(path)?;
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
    fn a_missing_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_bounded(&dir.path().join("nope.png"), 10),
            Err(ReadError::Missing { other_case: None })
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
    fn a_file_outside_the_offer_is_not_read() {
        let offer = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("secret"), "s3cret").unwrap();
        let confined = Confinement::new(offer.path());
        let outside = offer.path().join("../").join(
            elsewhere
                .path()
                .strip_prefix(offer.path().parent().unwrap())
                .unwrap(),
        );
        assert_eq!(
            confined.read(&outside.join("secret"), 100),
            Err(ReadError::Outside)
        );
        assert_eq!(
            confined.read(&elsewhere.path().join("secret"), 100),
            Err(ReadError::Outside)
        );
        // Not even whether it exists is asked.
        assert_eq!(
            confined.read(&elsewhere.path().join("nothing"), 100),
            Err(ReadError::Outside)
        );
    }

    #[test]
    fn nothing_under_git_is_read() {
        let offer = tempfile::tempdir().unwrap();
        std::fs::create_dir(offer.path().join(".git")).unwrap();
        std::fs::write(offer.path().join(".git/config"), "[core]").unwrap();
        let confined = Confinement::new(offer.path());
        assert_eq!(
            confined.read(&offer.path().join(".git/config"), 100),
            Err(ReadError::InGit)
        );
        assert_eq!(
            confined.read(&offer.path().join("logos/../.GIT/config"), 100),
            Err(ReadError::InGit)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_that_leads_outside_is_not_followed() {
        let offer = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("secret"), "s3cret").unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("secret"),
            offer.path().join("logo.png"),
        )
        .unwrap();
        std::os::unix::fs::symlink(offer.path().join("inside.txt"), offer.path().join("alias"))
            .unwrap();
        std::fs::write(offer.path().join("inside.txt"), "ok").unwrap();
        let confined = Confinement::new(offer.path());
        assert_eq!(
            confined.read(&offer.path().join("logo.png"), 100),
            Err(ReadError::Outside)
        );
        assert_eq!(
            confined.read(&offer.path().join("alias"), 100).unwrap(),
            b"ok"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_manifest_that_links_outside_the_working_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("offer.toml");
        std::os::unix::fs::symlink("/proc/self/environ", &link).unwrap();
        assert_eq!(read_manifest(&link, 1024), Err(ReadError::LinkOutside));
    }

    #[test]
    fn a_missing_file_in_another_letter_case_is_named() {
        let offer = tempfile::tempdir().unwrap();
        std::fs::create_dir(offer.path().join("logos")).unwrap();
        std::fs::write(offer.path().join("logos/small.png"), b"png").unwrap();
        let confined = Confinement::new(offer.path());
        let written = offer.path().join("Logos/Small.PNG");
        match confined.read(&written, 100) {
            // A file system that ignores case (Windows, macOS) opens it.
            Ok(bytes) => assert_eq!(bytes, b"png"),
            Err(ReadError::Missing {
                other_case: Some(found),
            }) => {
                assert!(found.ends_with("logos/small.png"), "{found}");
            }
            Err(other) => panic!("{other:?}"),
        }
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
