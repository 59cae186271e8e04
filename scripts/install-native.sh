#!/usr/bin/env bash
# Installs llama.cpp's prebuilt shared libraries (@node-llama-cpp/linux-x64@3.22.1) into native/ (ignored).
# Idempotent: does nothing when the libraries are already there. No global npm install.
set -euo pipefail
VERSION="3.22.1"
PACKAGE="@node-llama-cpp/linux-x64@${VERSION}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ROOT}/native/linux-x64"
BIN="${DEST}/bins/linux-x64"

if [[ -n "$(ls "${BIN}"/libllama*.so 2>/dev/null)" && -n "$(ls "${BIN}"/libggml.*so 2>/dev/null)" && -f "${BIN}/libggml-base.so" && -f "${DEST}/.version" ]] \
   && [[ "$(cat "${DEST}/.version")" == "${VERSION}" ]]; then
  echo "native: ${PACKAGE} already installed in ${DEST}"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT
echo "native: fetching ${PACKAGE}"
( cd "${WORK}" && npm pack --silent "${PACKAGE}" >/dev/null )
TARBALL="$(ls "${WORK}"/*.tgz | head -n1)"
rm -rf "${DEST}"
mkdir -p "${DEST}"
tar -xzf "${TARBALL}" -C "${DEST}" --strip-components=1
if [[ -z "$(ls "${BIN}"/libllama*.so 2>/dev/null)" ]]; then
  echo "native: ${TARBALL} has no bins/linux-x64/libllama*.so; layout:" >&2
  find "${DEST}" -maxdepth 3 >&2
  exit 1
fi
echo "${VERSION}" > "${DEST}/.version"
echo "native: installed ${PACKAGE} into ${DEST}"
