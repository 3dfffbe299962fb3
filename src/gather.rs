//! The gather step, between reading a manifest and fetching its URLs. Every
//! file the manifest names is read here, once, within its bound and the file
//! rules of safety.md (inside the offer's folder or the working folder, never
//! under `.git`), and every URL the selected checks will judge is listed as a
//! request. The checks then judge what was gathered without touching the
//! disk or the network.

use std::ops::Range;
use std::path::PathBuf;

use crate::files::{self, Confinement, ReadError};
use crate::manifest::{FileKind, Offer, Spanned, UrlKind};
use crate::net::{self, Request};
use crate::pdf;
use crate::source::SourceFile;

/// The largest description file read; anything near it is far over every limit.
pub const MAX_DESCRIPTION_BYTES: u64 = 1024 * 1024;
/// The largest terms-of-use file read.
pub const MAX_TERMS_BYTES: u64 = 1024 * 1024;
/// The largest exported app registration read.
pub const MAX_REGISTRATION_BYTES: u64 = 4 * 1024 * 1024;
/// The largest logo file read: the biggest logo allowed is a few hundred kilobytes.
pub const MAX_LOGO_BYTES: u64 = 8 * 1024 * 1024;
/// The largest AppSource package opened; it is read in place, never whole.
pub const MAX_PACKAGE_BYTES: u64 = crate::package::MAX_PACKAGE_BYTES;
/// The largest screenshot or video thumbnail read: a 1280x720 PNG holds at
/// most 3.7 MB of pixels, stored uncompressed.
pub const MAX_MEDIA_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
/// The largest supporting document read. Only its start, its end and its
/// trailer are kept once it is read.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// The most bytes read for a file of this kind.
pub fn limit(kind: FileKind) -> u64 {
    match kind {
        FileKind::Description => MAX_DESCRIPTION_BYTES,
        FileKind::Terms => MAX_TERMS_BYTES,
        FileKind::AppRegistration => MAX_REGISTRATION_BYTES,
        FileKind::Logo => MAX_LOGO_BYTES,
        FileKind::Package => MAX_PACKAGE_BYTES,
        FileKind::Screenshot | FileKind::Thumbnail => MAX_MEDIA_IMAGE_BYTES,
        FileKind::Document => MAX_DOCUMENT_BYTES,
    }
}

/// What was gathered for one offer.
#[derive(Debug, Default)]
pub struct Gathered {
    files: Vec<Input>,
    /// What the selected checks will judge once fetched, in the manifest's order.
    pub requests: Vec<Request>,
}

/// One file the manifest names, as read.
#[derive(Debug)]
pub struct Input {
    pub kind: FileKind,
    /// The manifest value that names it.
    named_by: Range<usize>,
    /// The file, resolved from the manifest's folder.
    pub path: PathBuf,
    pub content: Result<Content, ReadError>,
}

/// What a file holds.
#[derive(Debug)]
pub enum Content {
    /// A text file, whose findings point at its lines.
    Text(SourceFile),
    /// A file that should be text but is not UTF-8: the text up to the first
    /// byte that is not, so that findings can point at that byte.
    NotUtf8(SourceFile),
    /// A binary file (an image).
    Bytes(Vec<u8>),
    /// The AppSource package, as read in place: what its rules need of it.
    Package(Box<crate::package::Package>),
    /// A supporting document: what its check judges, without its bytes.
    Pdf(pdf::Summary),
}

impl Gathered {
    /// The bytes of file content it holds.
    pub fn size(&self) -> usize {
        self.files
            .iter()
            .map(|input| match &input.content {
                Ok(Content::Text(text) | Content::NotUtf8(text)) => text.text().len(),
                Ok(Content::Bytes(bytes)) => bytes.len(),
                Ok(Content::Package(package)) => package.size(),
                Ok(Content::Pdf(_)) | Err(_) => 0,
            })
            .sum()
    }

    /// The file a manifest value names, as gathered. `None` when the value
    /// names no file the manifest declares, or its check was left out.
    pub fn file(&self, value: &Spanned<String>) -> Option<&Input> {
        let span = value.span();
        self.files.iter().find(|input| input.named_by == span)
    }
}

impl Gathered {
    /// What gathering gives an offer whose package file holds a package
    /// already read: for the fuzz target, which reads packages from memory.
    #[doc(hidden)]
    pub fn of_package(offer: &Offer, package: crate::package::Package) -> Self {
        let mut gathered = Self::default();
        for key in offer.manifest.files() {
            if key.kind == FileKind::Package {
                gathered.files.push(Input {
                    kind: key.kind,
                    named_by: key.value.span(),
                    path: offer.resolve(key.value.get_ref()),
                    content: Ok(Content::Package(Box::new(package))),
                });
                break;
            }
        }
        gathered
    }
}

/// Reads every file and lists every request of the checks that `selected`
/// keeps (by id). `allow_private_hosts` lets non-public URLs be requested.
pub fn gather(
    offer: &Offer,
    selected: impl Fn(&str) -> bool,
    allow_private_hosts: bool,
) -> Gathered {
    let mut gathered = Gathered::default();
    let confinement = Confinement::new(&offer.dir);
    for key in offer.manifest.files() {
        if !selected(key.kind.check()) {
            continue;
        }
        let span = key.value.span();
        if gathered.files.iter().any(|input| input.named_by == span) {
            continue;
        }
        let path = offer.resolve(key.value.get_ref());
        let content = match files::control_character(key.value.get_ref()) {
            Some(error) => Err(error),
            None if key.kind == FileKind::Package => confinement
                .open(&offer.dir, key.value.get_ref(), limit(key.kind))
                .map(|(file, len)| package(file, len, &path)),
            None => confinement
                .read(&offer.dir, key.value.get_ref(), limit(key.kind))
                .map(|bytes| content(&path, key.kind, bytes)),
        };
        gathered.files.push(Input {
            kind: key.kind,
            named_by: span,
            path,
            content,
        });
    }
    for key in offer.manifest.urls() {
        if !selected(key.check) {
            continue;
        }
        // A URL that fails before any request is reported by its check.
        let Ok(url) = net::form::parse(key.value.get_ref(), allow_private_hosts) else {
            continue;
        };
        let request = match key.kind {
            UrlKind::Page => Request::page(&url),
            UrlKind::SignIn => Request::sign_in(&url),
            // Only a YouTube or Vimeo address is a video; another is
            // reported without a request.
            UrlKind::Video if net::video::video(key.value.get_ref()).is_err() => {
                continue;
            }
            UrlKind::Video => Request::page(&url),
        };
        if !gathered.requests.contains(&request) {
            gathered.requests.push(request);
        }
    }
    // The package's learn-more link is judged like every URL of the offer.
    let learn_more = gathered
        .files
        .iter()
        .find_map(|input| match &input.content {
            Ok(Content::Package(package)) => package.learn_more_link(),
            _ => None,
        });
    if let Some(link) = learn_more {
        if let Ok(url) = net::form::parse(&link, allow_private_hosts) {
            let request = Request::page(&url);
            if !gathered.requests.contains(&request) {
                gathered.requests.push(request);
            }
        }
    }
    gathered
}

fn package(file: std::fs::File, len: u64, path: &std::path::Path) -> Content {
    let shown = crate::source::display_path(path);
    Content::Package(Box::new(crate::package::read(file, len, &shown)))
}

fn content(path: &std::path::Path, kind: FileKind, bytes: Vec<u8>) -> Content {
    if kind == FileKind::Document {
        return Content::Pdf(pdf::summarise(&bytes));
    }
    if !kind.is_text() {
        return Content::Bytes(bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Content::Text(SourceFile::new(path, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            Content::NotUtf8(SourceFile::new(path, prefix.into_owned()))
        }
    }
}
