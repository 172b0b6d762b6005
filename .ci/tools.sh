#!/usr/bin/env bash
# Installs, once, every build tool a fresh Debian machine lacks, pinned to exact versions.
# Each step is skipped when the right version is already there. Source this file
# (`. .ci/tools.sh`) so that PATH picks up the project-local npm tools.
#
# Why each workaround exists is written in ../shared/TOOLCHAIN.md and docs/toolchain.md:
# cargo-leptos must find wasm-bindgen, wasm-opt and sass on PATH, or it downloads them
# from GitHub, which is impossible here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
WASM_BINDGEN_VERSION=0.2.130     # must equal the wasm-bindgen in Cargo.lock
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0         # npm build of wasm-opt; Debian's breaks hydration
SASS_VERSION=1.108.2

export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
mkdir -p "$TOOLS"

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-opt and sass from npm, project-local so the versions are ours.
if [ "$(cat "$TOOLS/npm-tools.version" 2>/dev/null)" != "binaryen@$BINARYEN_VERSION sass@$SASS_VERSION" ]; then
  log "installing binaryen@$BINARYEN_VERSION and sass@$SASS_VERSION from npm"
  (cd "$TOOLS" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS/package.json")
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
    "binaryen@$BINARYEN_VERSION" "sass@$SASS_VERSION"
  echo "binaryen@$BINARYEN_VERSION sass@$SASS_VERSION" > "$TOOLS/npm-tools.version"
fi

# Installs a crate from its published lockfile after moving one locked dependency to a
# version that exists and builds on our rustc: `install_locked CRATE VERSION DEP DEP_VERSION`.
install_locked() {
  local crate="$1" version="$2" dep="$3" dep_version="$4" file work
  file="$(ls "$HOME"/.cargo/registry/cache/*/"$crate-$version.crate" 2>/dev/null | head -n1 || true)"
  if [ -z "$file" ]; then
    cargo info "$crate@$version" >/dev/null  # puts the .crate into cargo's download cache
    file="$(ls "$HOME"/.cargo/registry/cache/*/"$crate-$version.crate" | head -n1)"
  fi
  work="$(mktemp -d)"
  tar -xzf "$file" -C "$work"
  (
    cd "$work/$crate-$version"
    cargo update -p "$dep" --precise "$dep_version"
    cargo install --path . --locked ${INSTALL_ROOT:+--root "$INSTALL_ROOT"}
  )
  rm -rf "$work"
}

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Its lockfile names a webpki-roots release the registry no longer serves.
  install_locked wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  # Its lockfile pins cargo-util-schemas 0.14.2, which needs rustc 1.96; 0.14.1 works on 1.95.
  install_locked cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1
fi
