#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) for gazette: the system packages it needs where they are missing
# (Chromium's headless shell to render, the full Chromium for the tests of what the office's browser does,
# fonts, poppler-utils and qpdf to read PDFs back, Ghostscript for PDF/A, a compiler and Node's headers for
# better-sqlite3, which `gazette serve` keeps its accounts in), then `npm ci`, which builds better-sqlite3 from
# source and compiles the TypeScript (the package's `prepare` script).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium-headless-shell chromium fonts-lxgw-wenkai fonts-dejavu-core poppler-utils qpdf ghostscript
  ca-certificates python3-fonttools python3 make g++ nodejs)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing system packages: ${missing[*]}; run as root, or install them with apt-get" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Puppeteer's own browser download cannot work offline: we use puppeteer-core and the system Chromium.
export PUPPETEER_SKIP_DOWNLOAD=1
npm ci --no-audit --no-fund
# npm may skip a dependency's install script (npm 12 runs only those allowed in package.json's allowScripts):
# make sure the native SQLite binding really was built.
node -e "require('better-sqlite3')(':memory:').close()" || {
  echo "setup: better-sqlite3 did not build: run \`npm rebuild better-sqlite3\` and read its errors" >&2
  exit 1
}
