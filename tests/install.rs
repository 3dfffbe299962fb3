//! The shell installer (`install.sh`, shipped as `offercheck-installer.sh`)
//! against a release that each test lays out on a local HTTP server: archives
//! of the freshly built binary, named as the release workflow names them,
//! with their SHA-256 checksum files. Linux only: the installer is the same
//! on macOS, and PowerShell's cannot run here.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The archive the installer picks on this machine.
fn this_target() -> String {
    format!("{}-unknown-linux-musl", std::env::consts::ARCH)
}

/// Serves the files of a folder over HTTP on 127.0.0.1, and notes each path asked.
struct Release {
    dir: tempfile::TempDir,
    url: String,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Release {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/download/v0.1.0", listener.local_addr().unwrap());
        let root = dir.path().to_path_buf();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let noted = Arc::clone(&asked);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // The rest of the request's head.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
                noted.lock().unwrap().push(path.clone());
                let file = path
                    .strip_prefix("/download/v0.1.0/")
                    .map(|name| root.join(name));
                let response = match file.and_then(|file| std::fs::read(file).ok()) {
                    Some(body) => [
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes(),
                        body,
                    ]
                    .concat(),
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            }
        });
        Self { dir, url, asked }
    }

    /// An archive as the release has it: a tarball holding one folder named
    /// after it, with the binary, the README and the licence.
    fn add_archive(&self, target: &str, binary: &[u8]) -> PathBuf {
        let staging = tempfile::tempdir().unwrap();
        let folder = staging.path().join(format!("offercheck-{target}"));
        std::fs::create_dir(&folder).unwrap();
        let inside = folder.join("offercheck");
        std::fs::write(&inside, binary).unwrap();
        std::fs::set_permissions(&inside, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        std::fs::copy(repository().join("README.md"), folder.join("README.md")).unwrap();
        let archive = self.dir.path().join(format!("offercheck-{target}.tar.gz"));
        // gzip's fastest level: the debug binary is large, and the archive
        // only has to be one that tar unpacks.
        let status = Command::new("sh")
            .args(["-c", "tar -cf - -C \"$1\" \"$2\" | gzip -1 >\"$3\"", "sh"])
            .arg(staging.path())
            .arg(format!("offercheck-{target}"))
            .arg(&archive)
            .status()
            .unwrap();
        assert!(status.success());
        archive
    }

    /// The checksum file as the release has it: `HASH  NAME`.
    fn add_checksum(&self, archive: &Path, hash: &str) {
        let name = archive.file_name().unwrap().to_str().unwrap();
        std::fs::write(
            self.dir.path().join(format!("{name}.sha256")),
            format!("{hash}  {name}\n"),
        )
        .unwrap();
    }

    fn add_release_of(&self, binary: &[u8]) -> PathBuf {
        let archive = self.add_archive(&this_target(), binary);
        self.add_checksum(&archive, &sha256_of_file(&archive));
        archive
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The system's sha256sum, for archives too large for an unoptimised test build.
fn sha256_of_file(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()[..64].to_owned()
}

/// This build's offercheck, stripped of its debug information as a release's
/// binary is (and five times smaller to pack).
fn built_binary() -> Vec<u8> {
    static STRIPPED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    STRIPPED
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let stripped = dir.path().join("offercheck");
            let status = Command::new("strip")
                .arg("-o")
                .arg(&stripped)
                .arg(env!("CARGO_BIN_EXE_offercheck"))
                .status()
                .unwrap();
            assert!(status.success());
            std::fs::read(stripped).unwrap()
        })
        .clone()
}

/// Runs an installer script with a clean CI-free environment and the given settings.
fn run_installer(script: &Path, home: &Path, settings: &[(&str, &str)]) -> Output {
    let mut command = Command::new("sh");
    command
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home);
    for (name, value) in settings {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn installs_a_working_binary_that_the_path_finds() {
    let release = Release::start();
    release.add_release_of(&built_binary());
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("tools");

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[
            ("OFFERCHECK_DOWNLOAD_URL", &release.url),
            ("OFFERCHECK_INSTALL_DIR", bin.to_str().unwrap()),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "installed offercheck {}",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("is not on your PATH"));

    // A shell that has the folder on its PATH runs the installed offercheck.
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let check = Command::new("sh")
        .args([
            "-c",
            "command -v offercheck && offercheck check offer.toml --offline",
        ])
        .current_dir(repository().join("fixtures/contoso"))
        .env("PATH", path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}{}", stderr(&check));
    assert!(stdout.starts_with(&format!("{}\n", bin.join("offercheck").display())));
    assert!(stdout.contains("Ready"), "{stdout}");
    assert_eq!(
        release.asked(),
        [
            format!("/download/v0.1.0/offercheck-{}.tar.gz", this_target()),
            format!(
                "/download/v0.1.0/offercheck-{}.tar.gz.sha256",
                this_target()
            ),
        ]
    );
}

#[test]
fn installs_into_local_bin_by_default_and_adds_it_to_a_github_job_path() {
    let release = Release::start();
    release.add_release_of(&built_binary());
    let home = tempfile::tempdir().unwrap();
    let github_path = home.path().join("github-path");
    std::fs::write(&github_path, "/earlier/entry\n").unwrap();

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[
            ("OFFERCHECK_DOWNLOAD_URL", &release.url),
            ("GITHUB_PATH", github_path.to_str().unwrap()),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let installed = home.path().join(".local/bin/offercheck");
    assert_eq!(std::fs::read(&installed).unwrap(), built_binary());
    assert_eq!(
        std::fs::read_to_string(&github_path).unwrap(),
        format!(
            "/earlier/entry\n{}\n",
            home.path().join(".local/bin").display()
        )
    );
}

#[test]
fn adds_the_folder_to_an_azure_job_path() {
    let release = Release::start();
    release.add_release_of(&built_binary());
    let home = tempfile::tempdir().unwrap();

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[
            ("OFFERCHECK_DOWNLOAD_URL", &release.url),
            ("TF_BUILD", "True"),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "##vso[task.prependpath]{}\n",
            home.path().join(".local/bin").display()
        )
    );
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    let release = Release::start();
    let archive = release.add_archive(&this_target(), &built_binary());
    // The checksum of another file: what a swapped or damaged download looks like.
    release.add_checksum(&archive, &sha256(b"the archive that was published"));
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("tools");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("offercheck"), "the version installed before").unwrap();

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[
            ("OFFERCHECK_DOWNLOAD_URL", &release.url),
            ("OFFERCHECK_INSTALL_DIR", bin.to_str().unwrap()),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "error: checksum mismatch for offercheck-{}.tar.gz: the release says {}, the download is {}; nothing was installed",
            this_target(),
            sha256(b"the archive that was published"),
            sha256_of_file(&archive),
        )),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(bin.join("offercheck")).unwrap(),
        "the version installed before"
    );
}

#[test]
fn a_release_without_a_checksum_file_is_refused() {
    let release = Release::start();
    release.add_archive(&this_target(), &built_binary());
    let home = tempfile::tempdir().unwrap();

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[("OFFERCHECK_DOWNLOAD_URL", &release.url)],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "error: could not download {}/offercheck-{}.tar.gz.sha256",
            release.url,
            this_target()
        )),
        "{}",
        stderr(&output)
    );
    assert!(!home.path().join(".local/bin/offercheck").exists());
}

#[test]
fn a_checksum_file_without_a_checksum_is_refused() {
    let release = Release::start();
    let archive = release.add_archive(&this_target(), &built_binary());
    release.add_checksum(&archive, "<html>not found</html>");
    let home = tempfile::tempdir().unwrap();

    let output = run_installer(
        &repository().join("install.sh"),
        home.path(),
        &[("OFFERCHECK_DOWNLOAD_URL", &release.url)],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "error: offercheck-{}.tar.gz.sha256 holds no SHA-256 checksum",
            this_target()
        )),
        "{}",
        stderr(&output)
    );
    assert!(!home.path().join(".local/bin/offercheck").exists());
}

#[test]
fn a_machine_without_a_release_is_told_how_to_build_offercheck() {
    let home = tempfile::tempdir().unwrap();
    let fake_bin = home.path().join("fake-bin");
    std::fs::create_dir(&fake_bin).unwrap();
    // uname as a SPARC machine would answer.
    let uname = fake_bin.join("uname");
    std::fs::write(
        &uname,
        "#!/bin/sh\ncase \"$1\" in -s) echo Linux ;; -m) echo sparc64 ;; esac\n",
    )
    .unwrap();
    std::fs::set_permissions(&uname, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let output = Command::new("sh")
        .arg(repository().join("install.sh"))
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", fake_bin.display()))
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "error: no offercheck release is built for sparc64 processors; install it with: cargo install --locked offercheck"
        ),
        "{}",
        stderr(&output)
    );
}

/// The installers the release attaches name its version, so that the one of
/// a release installs that release.
#[test]
fn the_release_installers_install_their_own_version() {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("sh")
        .arg(repository().join("ci/release-installers.sh"))
        .arg(out.path())
        .current_dir(repository())
        .status()
        .unwrap();
    assert!(status.success());
    let version = env!("CARGO_PKG_VERSION");

    let shell = std::fs::read_to_string(out.path().join("offercheck-installer.sh")).unwrap();
    let source = std::fs::read_to_string(repository().join("install.sh")).unwrap();
    assert_eq!(
        shell,
        source.replace(
            "default_version=\"latest\"",
            &format!("default_version=\"{version}\"")
        )
    );
    assert_ne!(shell, source);
    let powershell = std::fs::read_to_string(out.path().join("offercheck-installer.ps1")).unwrap();
    let source = std::fs::read_to_string(repository().join("install.ps1")).unwrap();
    assert_eq!(
        powershell,
        source.replace(
            "$DefaultVersion = 'latest'",
            &format!("$DefaultVersion = '{version}'")
        )
    );
    assert_ne!(powershell, source);

    // Without a download folder it asks the release of its version; a proxy
    // that is not there keeps the request on this machine.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let home = tempfile::tempdir().unwrap();
    let output = run_installer(
        &out.path().join("offercheck-installer.sh"),
        home.path(),
        &[("https_proxy", &proxy), ("HTTPS_PROXY", &proxy)],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "downloading https://github.com/offercheck/offercheck/releases/download/v{version}/offercheck-{}.tar.gz",
            this_target()
        )),
        "{}",
        stderr(&output)
    );
}
