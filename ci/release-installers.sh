#!/bin/sh
# Writes the installers a release attaches, offercheck-installer.sh and
# offercheck-installer.ps1, into the folder given (default: target/installers):
# install.sh and install.ps1 with the release's version as their default, so
# that a release's installer installs that release.
set -eu
cd "$(dirname "$0")/.."
out="${1:-target/installers}"
version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "release-installers: Cargo.toml names no version" >&2; exit 1; }
mkdir -p "$out"
sed "s/^default_version=\"latest\"\$/default_version=\"$version\"/" install.sh >"$out/offercheck-installer.sh"
sed "s/^  \\\$DefaultVersion = 'latest'\$/  \$DefaultVersion = '$version'/" install.ps1 >"$out/offercheck-installer.ps1"
grep -q "^default_version=\"$version\"\$" "$out/offercheck-installer.sh"
grep -q "^  \\\$DefaultVersion = '$version'\$" "$out/offercheck-installer.ps1"
