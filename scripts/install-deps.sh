#!/usr/bin/env bash
# Installs every Debian package crosskey's build and tests need. Idempotent and
# fast when everything is present (one dpkg query, no apt-get update).
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost-dev libssl-dev libsqlite3-dev zlib1g-dev
  nlohmann-json3-dev libpugixml-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libyaml-cpp-dev    # crosskey lint: CloudFormation YAML
  libgoogle-perftools-dev  # tcmalloc_minimal, the server's allocator
  libgtest-dev libgmock-dev libbenchmark-dev
  openssl            # the TLS end-to-end tests make a CA and a certificate for --tls-cert
  wrk                # bench/ load generator
  nodejs npm         # AWS SDK for JavaScript v3 end-to-end tests
  chromium           # the console's browser tests (driven by playwright-core from npm)
)
# `--bench` adds what bench/side.sh drives beside crosskey.
if [[ ${1:-} == --bench ]]; then packages+=(nginx); fi
# `--fuzz` adds what the fuzz targets need: clang, libFuzzer and the
# sanitizer runtimes, llvm-symbolizer (fuzz/README.md).
if [[ ${1:-} == --fuzz ]]; then packages+=(clang libclang-rt-dev llvm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node/npm may come from outside Debian (e.g. a preinstalled toolchain): accept those.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}")
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# End-to-end tests drive real clients from python3: boto3, botocore and the AWS CLI.
if ! python3 -c 'import boto3, botocore, awscli' 2>/dev/null; then
  echo "install-deps: python3 lacks boto3/botocore/awscli (needed by the end-to-end tests)" >&2
  exit 1
fi
