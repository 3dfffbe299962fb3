//! Reading the files an offer names, safely: only regular files (a folder, a
//! FIFO or a device named as a logo must not hang the run), never more than a
//! limit, only inside the offer's folder or the working folder and never
//! under `.git` (safety.md §2); and finding the manifests in a folder as
//! ripgrep finds files, with `.gitignore` respected and no link followed.

use std::collections::BinaryHeap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

use crate::source::{display_path, lexical_path};

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
    /// The path holds a control character, which no file name has: what a
    /// double-quoted TOML string makes of `logos\new.png` (a line break).
    /// It is not looked for.
    ControlCharacter {
        found: char,
        /// The path written with `/` where an escape made the character.
        slashed: Option<String>,
    },
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
                crate::text::excerpt(on_disk),
                crate::text::excerpt(written)
            ),
            ReadError::ControlCharacter { found, slashed } => {
                match control_escape(*found) {
                    Some((name, escape)) => write!(
                        f,
                        "the path holds {name}, which is what TOML makes of `{escape}` in a double-quoted string"
                    )?,
                    None => write!(
                        f,
                        "the path holds a control character (U+{:04X}), which no file name has",
                        u32::from(*found)
                    )?,
                }
                match slashed {
                    Some(slashed) => write!(
                        f,
                        ": write `/` between folders (`{}`), or put the path in single quotes",
                        crate::text::excerpt(slashed)
                    ),
                    None => f.write_str(": write `/` between folders, or put the path in single quotes"),
                }
            }
            ReadError::NotAFile(kind) => write!(f, "it is {kind}, not a file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {}", human_bytes(*limit))
            }
            ReadError::Outside => f.write_str(
                "it lies outside the offer's folder and the working folder, so it is not read",
            ),
            ReadError::InGit => f.write_str("it is inside a .git folder, which is never read"),
            ReadError::LinkOutside => f.write_str(
                "it is a symbolic link, or lies in a folder that is one, leading outside the working folder (or into .git), so it is not read",
            ),
            ReadError::Io(error) => f.write_str(error),
        }
    }
}

/// A control character that a TOML escape of one letter makes, with how a
/// message names it and the escape that makes it.
fn control_escape(found: char) -> Option<(&'static str, &'static str)> {
    Some(match found {
        '\n' => ("a line break", "\\n"),
        '\t' => ("a tab", "\\t"),
        '\r' => ("a carriage return", "\\r"),
        '\u{8}' => ("a backspace", "\\b"),
        '\u{c}' => ("a form feed", "\\f"),
        '\u{1b}' => ("an escape character", "\\e"),
        _ => return None,
    })
}

/// Why a path as the manifest gives it cannot name a file: a control
/// character, most likely from a Windows path in a double-quoted string.
pub fn control_character(path: &str) -> Option<ReadError> {
    let found = path.chars().find(|c| c.is_control())?;
    let mut slashed = String::with_capacity(path.len());
    for c in path.chars() {
        match control_escape(c) {
            Some((_, escape)) => {
                slashed.push('/');
                slashed.extend(escape.chars().skip(1));
            }
            None if c.is_control() => {
                return Some(ReadError::ControlCharacter {
                    found,
                    slashed: None,
                });
            }
            None => slashed.push(c),
        }
    }
    Some(ReadError::ControlCharacter {
        found,
        slashed: Some(slashed),
    })
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

    /// Reads a file the manifest names, `relative` to the manifest's
    /// `folder`, of at most `limit` bytes: only if it lies inside the offer's
    /// folders, its links followed, and not under `.git`; and with the same
    /// answer on every system (Windows would also find a path written with
    /// `\\`, and Windows and macOS one whose capitals differ from the names on
    /// disk, where Linux, and so most pipelines, would not).
    pub fn read(&self, folder: &Path, relative: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_bounded(&self.resolve(folder, relative)?, limit)
    }

    /// Opens a regular file of at most `limit` bytes under the same rules as
    /// [`Confinement::read`], for a reader that takes only the parts it
    /// needs (a package zip of 200 MiB); with its length.
    pub fn open(
        &self,
        folder: &Path,
        relative: &str,
        limit: u64,
    ) -> Result<(File, u64), ReadError> {
        open_bounded(&self.resolve(folder, relative)?, limit)
    }

    /// The file a path of the manifest leads to, its links followed, if it
    /// may be read.
    fn resolve(&self, folder: &Path, relative: &str) -> Result<PathBuf, ReadError> {
        // `C:\…`, `C:/…` or `\\server\…` leads outside on Windows, so it does
        // on every system.
        if windows_absolute(relative) {
            return Err(ReadError::Outside);
        }
        if relative.contains('\\') {
            return Err(ReadError::Backslashes);
        }
        let path = folder.join(relative);
        if in_git(&path) {
            return Err(ReadError::InGit);
        }
        // Decided by name first, so that nothing is asked of the file
        // system about a place outside (not even whether it exists).
        let absolute = match &self.working_dir {
            Some(dir) if path.is_relative() => lexical_path(&dir.join(&path)),
            _ => lexical_path(&path),
        };
        if !self.lexical.iter().any(|root| absolute.starts_with(root)) {
            return Err(ReadError::Outside);
        }
        if let Some((written, on_disk)) = case_difference(folder, Path::new(relative)) {
            return Err(ReadError::CaseDiffers { written, on_disk });
        }
        let resolved = match dunce::canonicalize(&path) {
            Ok(resolved) => resolved,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(ReadError::Missing);
            }
            Err(error) => return Err(ReadError::Io(error.to_string())),
        };
        if in_git(&resolved) {
            return Err(ReadError::InGit);
        }
        if !self.canonical.iter().any(|root| resolved.starts_with(root)) {
            return Err(ReadError::Outside);
        }
        Ok(resolved)
    }
}

/// Whether a path leaves its folder as Windows reads it: from a drive
/// (`C:\`, `C:/`, or `C:` alone) or the root of one (`\`, `\\server`).
fn windows_absolute(path: &str) -> bool {
    matches!(path.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic())
        || path.starts_with('\\')
}

/// Whether a path names something under a folder called `.git`.
fn in_git(path: &Path) -> bool {
    path.components()
        .any(|part| matches!(part, Component::Normal(name) if name.eq_ignore_ascii_case(".git")))
}

/// The path as it is on disk, when `relative` names it with other capitals
/// somewhere along it: (as written, as on disk), both with `/`. Each name
/// is looked up in its folder's listing; past a name that is not there in
/// any case, the rest is kept as written.
fn case_difference(folder: &Path, relative: &Path) -> Option<(String, String)> {
    // A manifest in the working folder has the folder "", which is ".".
    let mut current = if folder.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        folder.to_path_buf()
    };
    let mut written = Vec::new();
    let mut on_disk = Vec::new();
    let mut differs = false;
    let mut found = true;
    for component in relative.components() {
        let Component::Normal(name) = component else {
            let part = component.as_os_str().to_string_lossy().into_owned();
            written.push(part.clone());
            on_disk.push(part);
            current.push(component);
            continue;
        };
        let name_written = name.to_string_lossy().into_owned();
        let mut disk_name = None;
        if found {
            let listing = std::fs::read_dir(&current).ok()?;
            for entry in listing.flatten().take(100_000) {
                let entry_name = entry.file_name();
                if entry_name == name {
                    disk_name = None;
                    break;
                }
                let entry_name = entry_name.to_string_lossy();
                if disk_name.is_none() && entry_name.to_lowercase() == name_written.to_lowercase() {
                    disk_name = Some(entry_name.into_owned());
                }
            }
            found = disk_name.is_some() || current.join(name).exists();
        }
        match disk_name {
            Some(disk_name) => {
                differs = true;
                current.push(&disk_name);
                on_disk.push(disk_name);
            }
            None => {
                current.push(name);
                on_disk.push(name_written.clone());
            }
        }
        written.push(name_written);
    }
    differs.then(|| (written.join("/"), on_disk.join("/")))
}

/// Reads a manifest: a regular file of at most `limit` bytes. A manifest that
/// is a symbolic link is read only when it leads to a place inside the
/// working folder and not under `.git`; nothing under `.git` is read.
pub fn read_manifest(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    if in_git(path) {
        return Err(ReadError::InGit);
    }
    if leads_out(path) {
        return Err(ReadError::LinkOutside);
    }
    read_bounded(path, limit)
}

/// Whether a manifest's path follows a symbolic link out of the working
/// folder or into `.git`: the manifest itself is a link, or a folder along
/// a path named inside the working folder is one.
fn leads_out(path: &Path) -> bool {
    let Ok(target) = dunce::canonicalize(path) else {
        // Not there: reading it says why.
        return false;
    };
    if in_git(&target) {
        return true;
    }
    let Ok(working) = std::env::current_dir() else {
        return true;
    };
    let Ok(working_resolved) = dunce::canonicalize(&working) else {
        return true;
    };
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    let named_inside = lexical_path(&working.join(path)).starts_with(lexical_path(&working));
    (is_link || named_inside) && !target.starts_with(&working_resolved)
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
/// The largest `.gitignore` a folder scan reads, and the most it reads of
/// all of them together: each one is compiled into a matcher, and patterns
/// written to be costly take memory and time in proportion to their size.
pub const MAX_GITIGNORE_BYTES: u64 = 64 * 1024;
pub const MAX_GITIGNORE_TOTAL_BYTES: u64 = 256 * 1024;
/// The name a manifest has when a folder is scanned.
pub const MANIFEST_NAME: &str = "offer.toml";
/// Folders a scan leaves out wherever they are, besides hidden ones:
/// installed packages and build output, which hold copies of other
/// projects' files, not the publisher's offers.
const LEFT_OUT_FOLDERS: [&str; 2] = ["node_modules", "target"];
const GITIGNORE: &str = ".gitignore";

/// What a folder scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// The manifests to check, sorted.
    pub manifests: Vec<PathBuf>,
    /// What the scan could not search or would not read (a limit reached, a
    /// folder that cannot be read, a manifest that is a link): the run
    /// cannot say every offer was checked.
    pub problems: Vec<ScanProblem>,
}

/// One thing a scan could not search or would not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanProblem {
    /// What it is about: the folder scanned, or a manifest that is a link.
    pub path: PathBuf,
    pub message: String,
}

/// Every `offer.toml` beneath `folder`, sorted, as ripgrep would find it:
/// hidden folders, `node_modules`, `target` and what `.gitignore` ignores
/// (inside a git repository) are left out at any depth, and no symbolic link
/// is followed. `folder` itself is always searched, whatever its name.
///
/// A `.gitignore` is read by the walk before the folder it is in, so one that
/// is a link, a pipe or too large leaves that folder unsearched (a problem)
/// instead of being read: a link could lead to a secret or to an endless
/// device, a pipe would stall the run.
pub fn find_manifests(folder: &Path) -> Scan {
    let shown = display_path(folder);
    let refused = |message: String| Scan {
        manifests: Vec::new(),
        problems: vec![ScanProblem {
            path: folder.to_path_buf(),
            message,
        }],
    };
    let root = match walk_root(folder) {
        Ok(root) => root,
        Err(message) => return refused(message),
    };
    let walk = Arc::new(Walk {
        named: folder.to_path_buf(),
        root: root.clone(),
        gitignore_bytes: AtomicU64::new(0),
        state: Mutex::new(WalkState::default()),
    });
    if let Some(message) = walk.ignore_files_above(&root) {
        return refused(message);
    }

    let mut overrides = OverrideBuilder::new(&root);
    for name in LEFT_OUT_FOLDERS {
        // A `!` glob of an override leaves out what it matches.
        if let Err(error) = overrides.add(&format!("!{name}/")) {
            return refused(format!("{shown}: cannot be searched: {error}"));
        }
    }
    let overrides = match overrides.build() {
        Ok(overrides) => overrides,
        Err(error) => return refused(format!("{shown}: cannot be searched: {error}")),
    };
    let filter = Arc::clone(&walk);
    // The parallel walker, on one thread, because it alone decides whether
    // to enter a folder (and read its `.gitignore`) after the filter; the
    // order it finds manifests in does not matter, they are sorted.
    WalkBuilder::new(&root)
        .standard_filters(false)
        .hidden(true)
        .parents(true)
        .git_ignore(true)
        .require_git(true)
        // Neither the user's global excludes (a scan finds the same offers
        // on every machine) nor `.git/info/exclude` (nothing under `.git`
        // is read).
        .git_global(false)
        .git_exclude(false)
        .follow_links(false)
        .overrides(overrides)
        .filter_entry(move |entry| filter.enters(entry))
        .threads(1)
        .build_parallel()
        .run(|| {
            let walk = Arc::clone(&walk);
            Box::new(move |entry| {
                walk.visit(entry);
                ignore::WalkState::Continue
            })
        });

    let state = std::mem::take(&mut *walk.lock());
    let mut scan = Scan::default();
    let over_limit = state.found.len() > MAX_SCAN_MANIFESTS;
    for (path, is_link) in state
        .found
        .into_sorted_vec()
        .into_iter()
        .take(MAX_SCAN_MANIFESTS)
    {
        if is_link {
            scan.problems.push(ScanProblem {
                message: format!(
                    "{} is a symbolic link, and a folder scan follows no link: name the file it points to, to check that",
                    display_path(&path)
                ),
                path,
            });
        } else {
            scan.manifests.push(path);
        }
    }
    let mut problems = state.problems;
    // In the order of the paths they start with, whatever order the walk took.
    problems.sort();
    if let Some(deep) = state.too_deep {
        problems.push(format!(
            "{shown}: folders more than {MAX_SCAN_DEPTH} levels deep were not searched (the first: {})",
            display_path(&deep)
        ));
    }
    if over_limit {
        problems.push(format!(
            "{shown} holds more than {MAX_SCAN_MANIFESTS} manifests; only the first {MAX_SCAN_MANIFESTS} were checked"
        ));
    }
    scan.problems
        .extend(problems.into_iter().map(|message| ScanProblem {
            path: folder.to_path_buf(),
            message,
        }));
    if scan.manifests.is_empty() && scan.problems.is_empty() {
        return refused(no_manifest_in(folder));
    }
    scan
}

/// What to say when a folder holds no manifest: a new user's first run.
pub fn no_manifest_in(folder: &Path) -> String {
    let shown = display_path(folder);
    // `check offers/offer.toml` where that is a folder: `init` there would
    // write offers/offer.toml/offer.toml.
    if folder.file_name().is_some_and(|name| name == MANIFEST_NAME) {
        let parent = folder
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .map_or_else(|| ".".to_owned(), display_path);
        return format!(
            "{shown} is a folder, not a manifest, and holds no {MANIFEST_NAME}: rename or remove the folder, then run `offercheck init {}` to start one",
            shell_word(&parent)
        );
    }
    let init = shell_word(&shown);
    format!(
        "no {MANIFEST_NAME} found in {shown} or the folders beneath it (hidden folders, node_modules, \
         target and what .gitignore ignores are not searched): run `offercheck init {init}` to start one"
    )
}

/// What to say when `check` is run without a path where there is no manifest.
pub fn no_manifest_here() -> String {
    format!(
        "no {MANIFEST_NAME} found in the current folder: run `offercheck init` to start one, \
         or name the manifests or folders to check"
    )
}

/// A path as a word to paste into a shell: quoted when it holds a space or
/// a character a shell would act on (double quotes work in every shell).
fn shell_word(path: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./\\:+,@%".contains(c);
    if path.chars().all(plain) {
        path.to_owned()
    } else {
        format!("\"{path}\"")
    }
}

/// The folder to walk for a folder named on the command line: the folder
/// itself, or where it leads when it is a link. A link out of the working
/// folder, or a path into `.git`, is not searched.
fn walk_root(folder: &Path) -> Result<PathBuf, String> {
    let shown = display_path(folder);
    let canonical = std::fs::canonicalize(folder)
        .map_err(|error| format!("{shown}: cannot be searched: {error}"))?;
    let working = std::env::current_dir().ok();
    let lexical = lexical_path(&match &working {
        Some(working) => working.join(folder),
        None => folder.to_path_buf(),
    });
    let in_git = |path: &Path| path.components().any(|c| c.as_os_str() == ".git");
    if in_git(&lexical) || in_git(&canonical) {
        return Err(format!("{shown}: nothing under a .git folder is read"));
    }
    // A path the publisher wrote outside the working folder is theirs to
    // name; one written inside it that a link leads out of is not.
    if let Some(working) = &working {
        let canonical_working = std::fs::canonicalize(working).unwrap_or_else(|_| working.clone());
        if lexical.starts_with(working) && !canonical.starts_with(&canonical_working) {
            return Err(format!(
                "{shown} leads through a symbolic link out of the working folder, and a folder scan follows no link"
            ));
        }
    }
    let is_link = std::fs::symlink_metadata(folder).is_ok_and(|meta| meta.file_type().is_symlink());
    Ok(if is_link {
        canonical
    } else {
        folder.to_path_buf()
    })
}

/// What the walk shares between its filter and its visitor.
struct Walk {
    /// The folder as named on the command line, and the folder walked
    /// (where it leads, when it is a link): paths are shown as named.
    named: PathBuf,
    root: PathBuf,
    /// The bytes of `.gitignore` files let through so far.
    gitignore_bytes: AtomicU64,
    state: Mutex<WalkState>,
}

#[derive(Debug, Default)]
struct WalkState {
    /// The manifests found (with whether each is a link), at most one more
    /// than the limit: the largest paths are dropped, so that the ones kept
    /// are the first in sorted order whatever order the walk took.
    found: BinaryHeap<(PathBuf, bool)>,
    problems: Vec<String>,
    /// The first (in sorted order) folder or manifest past the depth limit.
    too_deep: Option<PathBuf>,
}

impl Walk {
    fn lock(&self) -> std::sync::MutexGuard<'_, WalkState> {
        // Nothing a panic could leave half-written is kept here.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A path of the walk as the publisher named it.
    fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.root) {
            Ok(rest) => self.named_join(rest),
            Err(_) => path.to_path_buf(),
        }
    }

    fn named_join(&self, rest: &Path) -> PathBuf {
        if rest.as_os_str().is_empty() {
            self.named.clone()
        } else {
            self.named.join(rest)
        }
    }

    /// Whether the walk may go into an entry it has not left out by name:
    /// not past the depth limit, and not into a folder whose `.gitignore`
    /// must not be read.
    fn enters(&self, entry: &ignore::DirEntry) -> bool {
        let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
        if entry.depth() > MAX_SCAN_DEPTH {
            if is_dir || entry.file_name() == MANIFEST_NAME {
                let path = self.shown(entry.path());
                let mut state = self.lock();
                if state.too_deep.as_ref().is_none_or(|first| path < *first) {
                    state.too_deep = Some(path);
                }
            }
            return false;
        }
        if is_dir {
            if let Some(problem) = self.ignore_file_problem(entry.path()) {
                self.lock().problems.push(problem);
                return false;
            }
        }
        true
    }

    fn visit(&self, entry: Result<ignore::DirEntry, ignore::Error>) {
        match entry {
            Ok(entry) => {
                if entry.depth() == 0 || entry.file_name() != MANIFEST_NAME {
                    return;
                }
                let Some(kind) = entry.file_type() else {
                    return;
                };
                // A manifest that is not a regular file (a pipe, a device) is
                // taken, so that reading it says what it is; a link is
                // reported, not followed.
                if kind.is_dir() {
                    return;
                }
                let path = self.shown(entry.path());
                let mut state = self.lock();
                state.found.push((path, kind.is_symlink()));
                if state.found.len() > MAX_SCAN_MANIFESTS + 1 {
                    state.found.pop();
                }
            }
            // A pattern of a `.gitignore` that cannot be read is passed over,
            // as git passes it over; what was not searched is a problem.
            Err(error) if error.is_partial() => {}
            Err(error) => {
                let message = format!(
                    "{}: not every folder could be searched: {error}",
                    display_path(&self.named)
                );
                self.lock().problems.push(message);
            }
        }
    }

    /// The `.gitignore` files the walk reads before it enters `root`: its
    /// own and those of the folders above it whose rules apply to it, up to
    /// the repository's root or the working folder.
    fn ignore_files_above(&self, root: &Path) -> Option<String> {
        let canonical = std::fs::canonicalize(root).ok()?;
        let working = std::env::current_dir().and_then(std::fs::canonicalize).ok();
        for folder in canonical.ancestors() {
            if let Some(problem) = self.ignore_file_problem(folder) {
                return Some(problem);
            }
            let repository_root = std::fs::symlink_metadata(folder.join(".git")).is_ok();
            if repository_root || working.as_deref() == Some(folder) {
                break;
            }
        }
        None
    }

    /// Why the `.gitignore` in `folder` must not be read, if it must not.
    fn ignore_file_problem(&self, folder: &Path) -> Option<String> {
        let path = folder.join(GITIGNORE);
        // Absent or not to be looked at: the walk reads nothing there either.
        let metadata = std::fs::symlink_metadata(&path).ok()?;
        let shown = display_path(&self.shown_outside(&path));
        let folder_shown = display_path(&self.shown_outside(folder));
        let why = if metadata.file_type().is_symlink() {
            "is a symbolic link, which a folder scan does not follow (git does not read such a .gitignore either)".to_owned()
        } else if !metadata.is_file() {
            "is not a regular file (a folder, a pipe or a device)".to_owned()
        } else if metadata.len() > MAX_GITIGNORE_BYTES {
            format!(
                "is larger than the limit of {}",
                human_bytes(MAX_GITIGNORE_BYTES)
            )
        } else {
            let before = self
                .gitignore_bytes
                .fetch_add(metadata.len(), Ordering::Relaxed);
            if before.saturating_add(metadata.len()) <= MAX_GITIGNORE_TOTAL_BYTES {
                return None;
            }
            format!(
                "would take the .gitignore files of this scan past {} in all",
                human_bytes(MAX_GITIGNORE_TOTAL_BYTES)
            )
        };
        Some(format!("{shown} {why}, so {folder_shown} was not searched"))
    }

    /// A path of the walk, or of a folder above it, as the publisher would
    /// recognise it: as named where it is under the folder named, else from
    /// the working folder, else whole.
    fn shown_outside(&self, path: &Path) -> PathBuf {
        if path.starts_with(&self.root) {
            return self.shown(path);
        }
        let canonical_root = std::fs::canonicalize(&self.root).ok();
        if let Some(rest) = canonical_root
            .as_ref()
            .and_then(|root| path.strip_prefix(root).ok())
        {
            return self.named_join(rest);
        }
        let working = std::env::current_dir().and_then(std::fs::canonicalize).ok();
        match working
            .as_ref()
            .and_then(|working| path.strip_prefix(working).ok())
        {
            Some(rest) if rest.as_os_str().is_empty() => PathBuf::from("."),
            Some(rest) => rest.to_path_buf(),
            None => path.to_path_buf(),
        }
    }
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
    fn a_file_outside_the_offer_is_not_read() {
        let offer = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("secret"), "s3cret").unwrap();
        let confined = Confinement::new(offer.path());
        let sibling = elsewhere
            .path()
            .strip_prefix(offer.path().parent().unwrap())
            .unwrap();
        let outside = format!("../{}/secret", sibling.display());
        assert_eq!(
            confined.read(offer.path(), &outside, 100),
            Err(ReadError::Outside)
        );
        let absolute = elsewhere.path().join("secret");
        assert_eq!(
            confined.read(offer.path(), &absolute.to_string_lossy(), 100),
            Err(ReadError::Outside)
        );
        // Not even whether it exists is asked.
        let nothing = elsewhere.path().join("nothing");
        assert_eq!(
            confined.read(offer.path(), &nothing.to_string_lossy(), 100),
            Err(ReadError::Outside)
        );
    }

    #[test]
    fn a_windows_path_from_a_drive_or_a_share_is_outside_on_every_system() {
        let offer = tempfile::tempdir().unwrap();
        let confined = Confinement::new(offer.path());
        for path in [
            "C:\\Users\\runner\\.ssh\\id_rsa",
            "c:/Windows/win.ini",
            "D:secret.txt",
            "\\\\server\\share\\secret",
            "\\secret",
        ] {
            assert_eq!(
                confined.read(offer.path(), path, 100),
                Err(ReadError::Outside),
                "{path}"
            );
        }
    }

    #[test]
    fn nothing_under_git_is_read() {
        let offer = tempfile::tempdir().unwrap();
        std::fs::create_dir(offer.path().join(".git")).unwrap();
        std::fs::write(offer.path().join(".git/config"), "[core]").unwrap();
        let confined = Confinement::new(offer.path());
        assert_eq!(
            confined.read(offer.path(), ".git/config", 100),
            Err(ReadError::InGit)
        );
        assert_eq!(
            confined.read(offer.path(), "logos/../.GIT/config", 100),
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
            confined.read(offer.path(), "logo.png", 100),
            Err(ReadError::Outside)
        );
        assert_eq!(confined.read(offer.path(), "alias", 100).unwrap(), b"ok");
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
    fn a_path_from_the_manifest_with_backslashes_is_refused_where_the_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("logos")).unwrap();
        std::fs::write(dir.path().join("logos/small.png"), b"png").unwrap();
        let confined = Confinement::new(dir.path());
        let error = confined
            .read(dir.path(), "logos\\small.png", 10)
            .unwrap_err();
        assert_eq!(error, ReadError::Backslashes);
        assert!(error.to_string().starts_with("write `/` between folders"));
        assert_eq!(
            confined.read(dir.path(), "logos/small.png", 10).unwrap(),
            b"png"
        );
    }

    #[test]
    fn a_name_from_the_manifest_in_other_capitals_is_refused_on_every_system() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("listing/logos")).unwrap();
        std::fs::write(dir.path().join("listing/logos/small.png"), b"png").unwrap();
        let confined = Confinement::new(dir.path());
        assert_eq!(
            confined.read(dir.path(), "listing/logos/Small.png", 10),
            Err(ReadError::CaseDiffers {
                written: "listing/logos/Small.png".to_owned(),
                on_disk: "listing/logos/small.png".to_owned()
            })
        );
        let error = confined
            .read(dir.path(), "Listing/logos/small.png", 10)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the file is named `listing/logos/small.png`, not `Listing/logos/small.png`: write it as on disk, since Linux tells capitals apart"
        );
        let inner = dir.path().join("listing/logos");
        assert_eq!(
            confined.read(&inner, "../logos/./small.png", 10).unwrap(),
            b"png"
        );
        assert_eq!(
            confined.read(&inner, "missing.png", 10),
            Err(ReadError::Missing)
        );
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

    #[test]
    fn a_path_with_a_control_character_names_it_and_how_to_write_the_path() {
        assert_eq!(control_character("logos/new.png"), None);
        let error = control_character("logos\new\tiny.png").unwrap();
        assert_eq!(
            error,
            ReadError::ControlCharacter {
                found: '\n',
                slashed: Some("logos/new/tiny.png".to_owned())
            }
        );
        assert!(error.to_string().contains("(`logos/new/tiny.png`)"));
        // A character no one-letter escape makes is named by its code point.
        let error = control_character("logos\u{1}x.png").unwrap();
        assert_eq!(
            error.to_string(),
            "the path holds a control character (U+0001), which no file name has: \
             write `/` between folders, or put the path in single quotes"
        );
    }
}
