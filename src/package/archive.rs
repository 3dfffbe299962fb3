//! Zips read in place and within bounds: a zip is a window on the package
//! file (or on an entry read into memory), its central directory is sized
//! before the `zip` crate reads it, and an entry is unpacked only when its
//! size, its compression ratio and the package's budget allow. Nothing is
//! extracted; an entry stored without compression (a zip inside a zip,
//! often) is opened as a window on its parent, without a copy.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

use zip::{CompressionMethod, ZipArchive};

/// The most entries a zip may list.
pub const MAX_ENTRIES: u64 = 10_000;
/// The largest central directory read: 10,000 entries with long names fit.
pub const MAX_DIRECTORY_BYTES: u64 = 16 * 1024 * 1024;
/// The highest compression ratio an entry that is read may have.
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this are not judged by their ratio: a few hundred
/// repeated bytes compress more than 100:1 and cost nothing to unpack.
pub const RATIO_FLOOR: u64 = 64 * 1024;
/// The most bytes one package may unpack, over every entry of every zip in
/// it, central directories included.
pub const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// What a zip's end record takes at most: 22 bytes and a comment of up to
/// 65,535.
const END_SEARCH: u64 = 22 + 65_535;
const END_SIGNATURE: &[u8; 4] = b"PK\x05\x06";
const ZIP64_LOCATOR_SIGNATURE: &[u8; 4] = b"PK\x06\x07";
const ZIP64_END_SIGNATURE: &[u8; 4] = b"PK\x06\x06";

/// Why a zip could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipProblem {
    /// Not a zip, or one too damaged to read, and why.
    NotZip(String),
    /// More entries than [`MAX_ENTRIES`].
    TooManyEntries(u64),
    /// A central directory larger than [`MAX_DIRECTORY_BYTES`].
    DirectoryTooLarge(u64),
    /// The package's budget of unpacked bytes ran out before it.
    Budget,
}

/// Why an entry was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryProblem {
    /// Larger, unpacked, than what an entry of its kind may be.
    TooLarge { size: u64, limit: u64 },
    /// Compressed more than [`MAX_RATIO`] to 1: a zip bomb, not unpacked.
    /// `claimed` when its header says so; otherwise the header under-states
    /// the size and the read stopped at `size`.
    Bomb {
        size: u64,
        compressed: u64,
        claimed: bool,
    },
    /// The package's budget of unpacked bytes ran out before it.
    Budget,
    /// Damaged, encrypted, or compressed with a method that is not read.
    Unreadable(String),
}

impl std::fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryProblem::TooLarge { size, limit } => write!(
                f,
                "it unpacks to {}, more than the limit of {}",
                bytes(*size),
                bytes(*limit)
            ),
            EntryProblem::Bomb {
                size,
                compressed,
                claimed: true,
            } => write!(
                f,
                "it claims to unpack {} from {} (more than {MAX_RATIO}:1), as zip bombs do; it is not unpacked",
                bytes(*size),
                bytes(*compressed)
            ),
            EntryProblem::Bomb {
                size,
                compressed,
                claimed: false,
            } => write!(
                f,
                "it unpacks to more than {} from {} (more than {MAX_RATIO}:1) while its header claims less, as zip bombs do; it was not unpacked further",
                bytes(*size),
                bytes(*compressed)
            ),
            EntryProblem::Budget => write!(
                f,
                "reading it would unpack more than {} from the package in all; it is not read",
                bytes(MAX_UNPACKED_BYTES)
            ),
            EntryProblem::Unreadable(why) => f.write_str(why),
        }
    }
}

/// A size as a publisher reads it.
pub fn bytes(count: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if count >= MIB {
        let tenths = count * 10 / MIB;
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    } else if count >= KIB {
        format!("{} KiB", count / KIB)
    } else {
        format!("{count} bytes")
    }
}

/// How many bytes a package may still unpack.
#[derive(Debug)]
pub struct Budget(Cell<u64>);

impl Default for Budget {
    fn default() -> Self {
        Self(Cell::new(MAX_UNPACKED_BYTES))
    }
}

impl Budget {
    /// Takes `count` bytes from the budget, if it holds them.
    fn take(&self, count: u64) -> bool {
        match self.0.get().checked_sub(count) {
            Some(left) => {
                self.0.set(left);
                true
            }
            None => false,
        }
    }
}

/// Where a window's bytes are.
#[derive(Debug, Clone)]
enum Backing {
    File(Rc<RefCell<File>>),
    Bytes(Rc<Vec<u8>>),
}

/// A part of the package file, or of an entry read into memory, read as a
/// file of its own with its own position. A window may be limited in how
/// much it lets be read, so that opening a hostile zip stops early.
#[derive(Debug, Clone)]
pub struct Window {
    backing: Backing,
    start: u64,
    len: u64,
    pos: u64,
    allowance: Rc<Cell<u64>>,
}

impl Window {
    /// The whole of an open file of `len` bytes.
    pub fn file(file: File, len: u64) -> Self {
        Self::new(Backing::File(Rc::new(RefCell::new(file))), 0, len)
    }

    /// Bytes held in memory.
    pub fn bytes(bytes: Vec<u8>) -> Self {
        let len = bytes.len() as u64;
        // An Rc of the Vec itself: turning it into an Rc<[u8]> would copy it.
        Self::new(Backing::Bytes(Rc::new(bytes)), 0, len)
    }

    fn new(backing: Backing, start: u64, len: u64) -> Self {
        Self {
            backing,
            start,
            len,
            pos: 0,
            allowance: Rc::new(Cell::new(u64::MAX)),
        }
    }

    /// `len` bytes from `offset` of this window, as a window of their own.
    fn part(&self, offset: u64, len: u64) -> Option<Self> {
        let end = offset.checked_add(len)?;
        (end <= self.len).then(|| Self::new(self.backing.clone(), self.start + offset, len))
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads exactly `buf.len()` bytes at `offset`, whatever the position.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let mut part = self.part(0, self.len).unwrap_or_else(|| self.clone());
        part.pos = offset;
        part.read_exact(buf)
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let wanted = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        if wanted == 0 {
            return Ok(0);
        }
        let allowed = self.allowance.get();
        if allowed < wanted as u64 {
            return Err(io::Error::other(
                "the zip asks for more to be read than its central directory holds",
            ));
        }
        let buf = buf.get_mut(..wanted).unwrap_or_default();
        let at = self.start + self.pos;
        let read = match &self.backing {
            Backing::File(file) => {
                let mut file = file
                    .try_borrow_mut()
                    .map_err(|_| io::Error::other("the package file is busy"))?;
                file.seek(SeekFrom::Start(at))?;
                file.read(buf)?
            }
            Backing::Bytes(bytes) => {
                let from = usize::try_from(at).unwrap_or(usize::MAX);
                let source = bytes.get(from..).unwrap_or_default();
                let count = source.len().min(buf.len());
                buf.get_mut(..count)
                    .unwrap_or_default()
                    .copy_from_slice(source.get(..count).unwrap_or_default());
                count
            }
        };
        self.pos += read as u64;
        self.allowance.set(allowed - read as u64);
        Ok(read)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        let target = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        self.pos = target;
        Ok(target)
    }
}

/// An entry's name as the zip writes it, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// A `..` part: extracting it would write outside the folder.
    Parent,
    /// An absolute path (`/x`, `C:\x`, `\\server\x`).
    Absolute,
    /// `\` between folders, as older Windows tools write: read with `/`.
    Backslashes,
    /// The name of more than one entry (how many): tools differ in which
    /// one they read.
    Duplicate(usize),
}

/// An entry whose name is a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadName {
    /// The name as the zip writes it.
    pub name: String,
    pub problem: NameProblem,
}

/// What a zip lists: every entry kept (names with `/`) and the names that
/// are a problem. An entry named with `..` or an absolute path is listed
/// only as a problem: it is never read.
#[derive(Debug, Default, Clone)]
pub struct Listing {
    pub entries: Vec<String>,
    pub bad_names: Vec<BadName>,
}

impl Listing {
    /// Whether an entry of exactly this name is listed.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|entry| entry == name)
    }

    /// The entry of this name, compared ignoring letter case.
    pub fn find_ignoring_case(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|entry| entry.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// The files it lists (folders left out).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .map(String::as_str)
            .filter(|name| !name.ends_with('/'))
    }

    /// How much of the package the listing holds in memory.
    pub fn size(&self) -> usize {
        self.entries.iter().map(String::len).sum::<usize>()
            + self
                .bad_names
                .iter()
                .map(|bad| bad.name.len())
                .sum::<usize>()
    }
}

/// An open zip: its listing, and the entries read on demand.
pub struct Zip {
    archive: ZipArchive<Window>,
    window: Window,
    pub listing: Listing,
    /// Listed name to the archive's index.
    index: HashMap<String, usize>,
}

impl std::fmt::Debug for Zip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zip")
            .field("listing", &self.listing)
            .finish_non_exhaustive()
    }
}

impl Zip {
    /// Opens the zip a window holds: its end record and central directory
    /// sized first, then read by the `zip` crate under an allowance that
    /// stops it from searching the rest of the file for another one.
    pub fn open(window: Window, budget: &Budget) -> Result<Self, ZipProblem> {
        let (entries, directory) = directory_size(&window)?;
        if entries > MAX_ENTRIES {
            return Err(ZipProblem::TooManyEntries(entries));
        }
        if directory > MAX_DIRECTORY_BYTES {
            return Err(ZipProblem::DirectoryTooLarge(directory));
        }
        if !budget.take(directory) {
            return Err(ZipProblem::Budget);
        }
        let allowance = Rc::clone(&window.allowance);
        allowance.set(directory + 4 * END_SEARCH + 1024);
        let archive = ZipArchive::new(window.clone())
            .map_err(|error| ZipProblem::NotZip(describe(&error)))?;
        allowance.set(u64::MAX);
        let mut listing = Listing::default();
        // The zip crate keeps one entry of each name: the central directory
        // itself tells how many there are.
        let names = central_names(&window, archive.central_directory_start(), directory);
        let mut seen: HashMap<&[u8], usize> = HashMap::new();
        for name in &names {
            *seen.entry(name.as_slice()).or_default() += 1;
        }
        let mut reported = std::collections::HashSet::new();
        for name in &names {
            let times = seen.get(name.as_slice()).copied().unwrap_or(0);
            if times > 1 && reported.insert(name.as_slice()) {
                listing.bad_names.push(BadName {
                    name: String::from_utf8_lossy(name).into_owned(),
                    problem: NameProblem::Duplicate(times),
                });
            }
        }
        let mut index = HashMap::new();
        for number in 0..archive.len() {
            let Some(raw) = archive.name_for_index(number) else {
                continue;
            };
            let (name, problem) = judge_name(raw);
            if let Some(problem) = problem {
                let unsafe_name = problem != NameProblem::Backslashes;
                listing.bad_names.push(BadName {
                    name: raw.to_owned(),
                    problem,
                });
                if unsafe_name {
                    continue;
                }
            }
            if !index.contains_key(&name) {
                index.insert(name.clone(), number);
                listing.entries.push(name);
            }
        }
        Ok(Self {
            archive,
            window,
            listing,
            index,
        })
    }

    /// The size of an entry unpacked, as its header gives it.
    pub fn size(&mut self, name: &str) -> Option<u64> {
        let number = *self.index.get(name)?;
        self.archive
            .by_index_raw(number)
            .ok()
            .map(|file| file.size())
    }

    /// Reads an entry of at most `limit` bytes unpacked, unless it is a bomb
    /// or the budget is spent.
    pub fn read(
        &mut self,
        name: &str,
        limit: u64,
        budget: &Budget,
    ) -> Result<Vec<u8>, EntryProblem> {
        let number = *self
            .index
            .get(name)
            .ok_or_else(|| EntryProblem::Unreadable("it is not in the zip".to_owned()))?;
        let mut file = self
            .archive
            .by_index(number)
            .map_err(|error| EntryProblem::Unreadable(describe(&error)))?;
        let size = file.size();
        let compressed = file.compressed_size();
        if is_bomb(size, compressed) {
            return Err(EntryProblem::Bomb {
                size,
                compressed,
                claimed: true,
            });
        }
        if size > limit {
            return Err(EntryProblem::TooLarge { size, limit });
        }
        if !budget.take(size) {
            return Err(EntryProblem::Budget);
        }
        // The header may under-state the size: the read stops as soon as
        // the entry passes its limit or the ratio a real entry can have,
        // whichever comes first, so a lying header costs no more memory
        // than an honest one.
        let ratio_cap = compressed.max(1).saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
        let cap = limit.min(ratio_cap.max(size));
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|error| EntryProblem::Unreadable(describe_io(&error)))?;
        let read = out.len() as u64;
        if read > cap {
            let lied = read > size;
            // Past its limit, an entry whose header lied is unpacked on, into
            // nothing, up to the ratio, to tell a bomb from a large entry.
            let unpacked = if lied && cap < ratio_cap {
                drop(out);
                let more = io::copy(&mut file.take(ratio_cap - cap), &mut io::sink()).unwrap_or(0);
                read + more
            } else {
                read
            };
            return Err(if lied && unpacked > ratio_cap {
                EntryProblem::Bomb {
                    size: ratio_cap,
                    compressed,
                    claimed: false,
                }
            } else {
                EntryProblem::TooLarge { size: read, limit }
            });
        }
        if !budget.take(read.saturating_sub(size)) {
            return Err(EntryProblem::Budget);
        }
        Ok(out)
    }

    /// Opens an entry that is itself a zip: as a window on this one when it
    /// is stored without compression, else read into memory (at most `limit`
    /// bytes) first.
    pub fn open_entry(
        &mut self,
        name: &str,
        limit: u64,
        budget: &Budget,
    ) -> Result<Result<Zip, ZipProblem>, EntryProblem> {
        let number = *self
            .index
            .get(name)
            .ok_or_else(|| EntryProblem::Unreadable("it is not in the zip".to_owned()))?;
        let stored = match self.archive.by_index_raw(number) {
            Ok(file) if file.compression() == CompressionMethod::Stored && !file.encrypted() => {
                file.data_start()
                    .map(|start| (start, file.compressed_size()))
            }
            Ok(_) => None,
            Err(error) => return Err(EntryProblem::Unreadable(describe(&error))),
        };
        let window = match stored.and_then(|(start, len)| self.window.part(start, len)) {
            Some(window) => window,
            None => Window::bytes(self.read(name, limit, budget)?),
        };
        Ok(Zip::open(window, budget))
    }
}

/// Whether an entry is compressed more than [`MAX_RATIO`] to 1.
fn is_bomb(size: u64, compressed: u64) -> bool {
    size > RATIO_FLOOR && size / compressed.max(1) > MAX_RATIO
}

/// An entry's name with `/` between folders, and what is wrong with it.
pub fn judge_name(raw: &str) -> (String, Option<NameProblem>) {
    let name = raw.replace('\\', "/");
    let drive = name.as_bytes().get(1) == Some(&b':')
        && name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    let problem = if name.starts_with('/') || drive {
        Some(NameProblem::Absolute)
    } else if name.split('/').any(|part| part == "..") {
        Some(NameProblem::Parent)
    } else if raw.contains('\\') {
        Some(NameProblem::Backslashes)
    } else {
        None
    };
    (name, problem)
}

/// The number of entries and the size of the central directory that a zip's
/// end record gives (its Zip64 record's, when it has one).
fn directory_size(window: &Window) -> Result<(u64, u64), ZipProblem> {
    let not_zip = |why: &str| ZipProblem::NotZip(why.to_owned());
    let len = window.len();
    if len < 22 {
        return Err(not_zip("it is too short to be a zip"));
    }
    let tail_len = len.min(END_SEARCH);
    let mut tail = vec![0; usize::try_from(tail_len).unwrap_or(0)];
    window
        .read_at(len - tail_len, &mut tail)
        .map_err(|error| ZipProblem::NotZip(describe_io(&error)))?;
    let at = tail
        .windows(4)
        .rposition(|bytes| bytes == END_SIGNATURE)
        .ok_or_else(|| not_zip("it has no zip end record (it is not a zip, or it is cut short)"))?;
    let field = |offset: usize, width: usize| -> u64 {
        tail.get(at + offset..at + offset + width)
            .map_or(0, |bytes| {
                bytes
                    .iter()
                    .rev()
                    .fold(0u64, |value, byte| value << 8 | u64::from(*byte))
            })
    };
    let entries = field(10, 2);
    let directory = field(12, 4);
    let offset = field(16, 4);
    if entries != 0xFFFF && directory != 0xFFFF_FFFF && offset != 0xFFFF_FFFF {
        return Ok((entries, directory));
    }
    // A Zip64 end record, found through the locator just before the end record.
    let end_at = len - tail_len + at as u64;
    let mut locator = [0u8; 20];
    let located = end_at
        .checked_sub(20)
        .and_then(|from| window.read_at(from, &mut locator).ok());
    if located.is_none() || locator.get(..4) != Some(ZIP64_LOCATOR_SIGNATURE.as_slice()) {
        return Ok((entries, directory));
    }
    let record_at = little_endian(locator.get(8..16).unwrap_or_default());
    let mut record = [0u8; 56];
    window
        .read_at(record_at, &mut record)
        .map_err(|_| not_zip("its Zip64 end record is missing"))?;
    if record.get(..4) != Some(ZIP64_END_SIGNATURE.as_slice()) {
        return Err(not_zip("its Zip64 end record is damaged"));
    }
    Ok((
        little_endian(record.get(32..40).unwrap_or_default()),
        little_endian(record.get(40..48).unwrap_or_default()),
    ))
}

/// The raw names of the entries a central directory lists, in its order:
/// each header is 46 bytes, then the name, the extra field and the comment.
fn central_names(window: &Window, start: u64, len: u64) -> Vec<Vec<u8>> {
    let mut directory = vec![0; usize::try_from(len).unwrap_or(0)];
    if window.read_at(start, &mut directory).is_err() {
        return Vec::new();
    }
    let mut names = Vec::new();
    let mut at = 0usize;
    while let Some(header) = directory.get(at..at + 46) {
        if header.get(..4) != Some(b"PK\x01\x02".as_slice()) {
            break;
        }
        let field = |offset: usize| {
            usize::try_from(little_endian(
                header.get(offset..offset + 2).unwrap_or_default(),
            ))
            .unwrap_or(0)
        };
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let Some(name) = directory.get(at + 46..at + 46 + name_len) else {
            break;
        };
        names.push(name.to_vec());
        at += 46 + name_len + extra_len + comment_len;
    }
    names
}

fn little_endian(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |value, byte| value << 8 | u64::from(*byte))
}

/// The `zip` crate's error in words.
fn describe(error: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match error {
        ZipError::Io(error) => describe_io(error),
        ZipError::InvalidArchive(why) => format!("it is not a valid zip: {why}"),
        ZipError::UnsupportedArchive(why) if why.contains("Password") => {
            "it is encrypted (protected by a password), which Partner Center cannot read".to_owned()
        }
        ZipError::UnsupportedArchive(why) => format!("it cannot be read: {why}"),
        ZipError::FileNotFound => "it is not in the zip".to_owned(),
        other => other.to_string(),
    }
}

fn describe_io(error: &io::Error) -> String {
    let text = error.to_string();
    if text.contains("checksum") || text.contains("CRC") {
        "it is damaged: its content does not match its checksum".to_owned()
    } else if error.kind() == io::ErrorKind::UnexpectedEof {
        "it is cut short".to_owned()
    } else {
        format!("it cannot be read: {text}")
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn names_with_parents_or_roots_are_not_listed() {
        assert_eq!(judge_name("a/../b").1, Some(NameProblem::Parent));
        assert_eq!(judge_name("/etc/x").1, Some(NameProblem::Absolute));
        assert_eq!(judge_name("C:\\x").1, Some(NameProblem::Absolute));
        assert_eq!(
            judge_name("Pkg\\ImportConfig.xml"),
            (
                "Pkg/ImportConfig.xml".to_owned(),
                Some(NameProblem::Backslashes)
            )
        );
        assert_eq!(judge_name("a..b/c").1, None);
    }

    #[test]
    fn an_entry_is_read_and_a_bomb_is_not() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bytes = zip_of(
            &[("small.txt", b"hello"), ("bomb.bin", &zeros)],
            CompressionMethod::Deflated,
        );
        let budget = Budget::default();
        let mut zip = Zip::open(Window::bytes(bytes), &budget).unwrap();
        assert_eq!(zip.listing.entries, ["small.txt", "bomb.bin"]);
        assert_eq!(zip.read("small.txt", 100, &budget).unwrap(), b"hello");
        assert!(matches!(
            zip.read("bomb.bin", u64::MAX, &budget),
            Err(EntryProblem::Bomb { .. })
        ));
        assert!(matches!(
            zip.read("small.txt", 2, &budget),
            Err(EntryProblem::TooLarge { size: 5, limit: 2 })
        ));
    }

    /// A zip whose one entry's headers (local and central) claim `claimed`
    /// bytes unpacked, whatever it holds.
    fn lying_zip(bytes: &[u8], claimed: u32) -> Vec<u8> {
        let mut zip = zip_of(&[("input.xml", bytes)], CompressionMethod::Deflated);
        for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let at = zip
                .windows(4)
                .position(|window| window == signature)
                .unwrap();
            zip[at + offset..at + offset + 4].copy_from_slice(&claimed.to_le_bytes());
        }
        zip
    }

    #[test]
    fn a_header_that_under_states_the_size_is_a_bomb_read_no_further_than_the_ratio() {
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let bytes = lying_zip(&zeros, 3000);
        let budget = Budget::default();
        let mut zip = Zip::open(Window::bytes(bytes), &budget).unwrap();
        assert_eq!(zip.size("input.xml"), Some(3000));
        let problem = zip
            .read("input.xml", 10 * 1024 * 1024, &budget)
            .unwrap_err();
        let EntryProblem::Bomb {
            size,
            compressed,
            claimed: false,
        } = problem
        else {
            panic!("{problem:?}");
        };
        // Read no further than 100 times what it takes in the zip.
        assert_eq!(size, compressed * MAX_RATIO);
        assert!(problem.to_string().contains("while its header claims less"));
    }

    #[test]
    fn a_header_that_under_states_the_size_of_an_ordinary_entry_is_read() {
        let text = b"<PvsPackageData>".repeat(100);
        let bytes = lying_zip(&text, 16);
        let budget = Budget::default();
        let mut zip = Zip::open(Window::bytes(bytes), &budget).unwrap();
        assert_eq!(zip.read("input.xml", 1024 * 1024, &budget).unwrap(), text);
    }

    #[test]
    fn a_stored_zip_inside_a_zip_opens_as_a_window() {
        let inner = zip_of(&[("solution.xml", b"<x/>")], CompressionMethod::Deflated);
        let outer = zip_of(&[("inner.zip", &inner)], CompressionMethod::Stored);
        let budget = Budget::default();
        let mut zip = Zip::open(Window::bytes(outer), &budget).unwrap();
        let mut inner = zip.open_entry("inner.zip", 0, &budget).unwrap().unwrap();
        assert_eq!(inner.read("solution.xml", 100, &budget).unwrap(), b"<x/>");
    }

    #[test]
    fn what_is_not_a_zip_says_so() {
        let budget = Budget::default();
        assert!(matches!(
            Zip::open(
                Window::bytes(b"just some text, long enough".to_vec()),
                &budget
            ),
            Err(ZipProblem::NotZip(_))
        ));
    }

    #[test]
    fn a_zip_claiming_too_many_entries_is_not_read() {
        let mut bytes = zip_of(&[("a", b"a")], CompressionMethod::Stored);
        let end = bytes.len() - 22;
        bytes[end + 8..end + 12].copy_from_slice(&[0x50, 0xC3, 0x50, 0xC3]);
        let budget = Budget::default();
        assert_eq!(
            Zip::open(Window::bytes(bytes), &budget).unwrap_err(),
            ZipProblem::TooManyEntries(50_000)
        );
    }
}
