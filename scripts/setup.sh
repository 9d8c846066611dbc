#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine: system packages (Chinese fonts,
# Graphviz, Chromium for browser tests, poppler for reading PDFs back) and the Python package.
# Usage: bash scripts/setup.sh          # everything needed to build the site and PDFs
#        bash scripts/setup.sh --test   # plus the test dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(fonts-noto-cjk graphviz poppler-utils)
[[ "${1:-}" == "--test" ]] && packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

extra=""; [[ "${1:-}" == "--test" ]] && extra="[test]"
python3 -m pip install -q --disable-pip-version-check -e ".${extra}"
