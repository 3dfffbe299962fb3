#!/bin/sh
# Installs a released offercheck binary on Linux, macOS or Windows (Git Bash):
#   curl -LsSf https://github.com/offercheck/offercheck/releases/latest/download/offercheck-installer.sh | sh
# It downloads the archive for this machine, refuses it unless its SHA-256
# matches the release's checksum file, and puts the binary in one folder.
#
# Settings, all optional, from the environment:
#   OFFERCHECK_VERSION       version to install, such as 0.1.0 (default: this installer's release)
#   OFFERCHECK_INSTALL_DIR   folder for the binary (default: $HOME/.local/bin)
#   OFFERCHECK_DOWNLOAD_URL  folder that holds the release's files (default: its GitHub release)
#   OFFERCHECK_TARGET        archive to take, such as x86_64-unknown-linux-musl (default: this machine's)
# In GitHub Actions and Azure Pipelines the folder is added to the PATH of the
# steps that follow.
set -eu

repository="https://github.com/offercheck/offercheck"
# The release workflow writes the version of the release here.
default_version="latest"

say() { printf 'offercheck installer: %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

version="${OFFERCHECK_VERSION:-$default_version}"
version="${version#v}"

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=unknown-linux-musl ;;
    Darwin)
      os=apple-darwin
      # An x86_64 shell under Rosetta still runs on an Apple processor.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
        arch=arm64
      fi
      ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      os=pc-windows-msvc
      # Git Bash may itself run emulated: Windows knows the real processor.
      case "${PROCESSOR_ARCHITEW6432:-${PROCESSOR_ARCHITECTURE:-}}" in
        ARM64) arch=aarch64 ;;
        AMD64) arch=x86_64 ;;
      esac
      ;;
    *) fail "no offercheck release is built for $os; install it with: cargo install --locked offercheck" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no offercheck release is built for $arch processors; install it with: cargo install --locked offercheck" ;;
  esac
  printf '%s-%s\n' "$arch" "$os"
}

download() {
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http' --fail --silent --show-error --location --retry 3 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --output-document="$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  else
    fail "cannot verify the download: none of sha256sum, shasum or openssl is installed"
  fi
}

unpack() {
  case "$1" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q -o "$1" -d "$2"
      elif command -v powershell >/dev/null 2>&1; then
        # Windows' own unzip, for a Git Bash without one; it wants Windows paths.
        # shellcheck disable=SC2016 # PowerShell reads the variables, not sh.
        ARCHIVE=$(cygpath -w "$1") DESTINATION=$(cygpath -w "$2") powershell -NoProfile -NonInteractive \
          -Command 'Expand-Archive -Force -LiteralPath $env:ARCHIVE -DestinationPath $env:DESTINATION'
      else
        fail "cannot unpack $1: install unzip"
      fi
      ;;
    *) tar -xzf "$1" -C "$2" ;;
  esac
}

target="${OFFERCHECK_TARGET:-}"
if [ -z "$target" ]; then
  target=$(detect_target) || exit 1
fi
case "$target" in
  *windows*) archive="offercheck-$target.zip" binary=offercheck.exe ;;
  *) archive="offercheck-$target.tar.gz" binary=offercheck ;;
esac

if [ -n "${OFFERCHECK_DOWNLOAD_URL:-}" ]; then
  base="${OFFERCHECK_DOWNLOAD_URL%/}"
elif [ "$version" = latest ]; then
  base="$repository/releases/latest/download"
else
  base="$repository/releases/download/v$version"
fi

install_dir="${OFFERCHECK_INSTALL_DIR:-${HOME:?set HOME or OFFERCHECK_INSTALL_DIR}/.local/bin}"

work=$(mktemp -d 2>/dev/null || mktemp -d -t offercheck)
trap 'rm -rf "$work"' EXIT INT TERM

say "downloading $base/$archive"
download "$base/$archive" "$work/$archive" || fail "could not download $base/$archive"
download "$base/$archive.sha256" "$work/$archive.sha256" || fail "could not download $base/$archive.sha256"

expected=$(cut -d ' ' -f 1 <"$work/$archive.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')
actual=$(sha256_of "$work/$archive")
case "$expected" in
  *[!0-9a-f]* | "") fail "$archive.sha256 holds no SHA-256 checksum" ;;
esac
[ "${#expected}" -eq 64 ] || fail "$archive.sha256 holds no SHA-256 checksum"
if [ "$expected" != "$actual" ]; then
  fail "checksum mismatch for $archive: the release says $expected, the download is $actual; nothing was installed"
fi

mkdir "$work/unpacked"
unpack "$work/$archive" "$work/unpacked"
# Tarballs hold one folder named after the archive; zip files are flat.
found=""
for candidate in "$work/unpacked/$binary" "$work/unpacked"/*/"$binary"; do
  if [ -f "$candidate" ]; then
    found="$candidate"
    break
  fi
done
[ -n "$found" ] || fail "$archive holds no $binary"

mkdir -p "$install_dir"
# Through a temporary name, so that a running offercheck is replaced whole.
cp "$found" "$install_dir/$binary.partial"
chmod 755 "$install_dir/$binary.partial"
mv -f "$install_dir/$binary.partial" "$install_dir/$binary"
say "installed $("$install_dir/$binary" --version) in $install_dir"

path_entry="$install_dir"
if command -v cygpath >/dev/null 2>&1; then
  path_entry=$(cygpath -w "$install_dir")
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  printf '%s\n' "$path_entry" >>"$GITHUB_PATH"
  say "added $path_entry to the PATH of the job's next steps"
elif [ -n "${TF_BUILD:-}" ]; then
  printf '##vso[task.prependpath]%s\n' "$path_entry"
  say "added $path_entry to the PATH of the job's next steps"
else
  case ":$PATH:" in
    *":$install_dir:"*) ;;
    *) say "$install_dir is not on your PATH: add it, e.g. export PATH=\"$install_dir:\$PATH\" in your shell's profile" ;;
  esac
fi
