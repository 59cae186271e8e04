#!/usr/bin/env bash
# Opt-in: builds llama.cpp for this CPU (-march=native) from the source bundle shipped in node-llama-cpp@3.22.1
# (the same commit as the prebuilt libraries) into native/local/, which the binding prefers when present.
# Takes about 11 minutes on 2 cores. Needs git, cmake and a C++ compiler. Idempotent: skips when already built.
set -euo pipefail
VERSION="3.22.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${ROOT}/native/local"
JOBS="${JOBS:-$(nproc)}"

if [[ -f "${DEST}/.version" && "$(cat "${DEST}/.version")" == "${VERSION}" && -n "$(ls "${DEST}"/libllama*.so 2>/dev/null)" ]]; then
  echo "native: local build of llama.cpp (node-llama-cpp ${VERSION}) already in ${DEST}"
  exit 0
fi
for tool in git cmake npm tar; do
  command -v "${tool}" >/dev/null || { echo "native: ${tool} is required to build llama.cpp" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT
echo "native: fetching node-llama-cpp@${VERSION} for its llama.cpp source bundle"
( cd "${WORK}" && npm pack --silent "node-llama-cpp@${VERSION}" >/dev/null )
tar -xzf "${WORK}"/node-llama-cpp-*.tgz -C "${WORK}" package/llama/gitRelease.bundle
git clone --quiet "${WORK}/package/llama/gitRelease.bundle" "${WORK}/llama.cpp"

echo "native: configuring (GGML_NATIVE, shared libraries, no tools/tests/examples)"
cmake -S "${WORK}/llama.cpp" -B "${WORK}/build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON \
  -DGGML_NATIVE=ON \
  -DGGML_BACKEND_DL=OFF \
  -DLLAMA_BUILD_COMMON=OFF \
  -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_TOOLS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_SERVER=OFF \
  -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_CURL=OFF \
  -DCMAKE_INSTALL_RPATH='$ORIGIN' \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
echo "native: building with ${JOBS} jobs"
cmake --build "${WORK}/build" --config Release -j "${JOBS}" --target llama

rm -rf "${DEST}"
mkdir -p "${DEST}"
find "${WORK}/build" -name 'lib*.so*' -exec cp -P {} "${DEST}/" \;
echo "${VERSION}" > "${DEST}/.version"
echo "native: installed a local build of llama.cpp into ${DEST} (preferred over the prebuilt libraries)"
