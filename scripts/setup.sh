#!/usr/bin/env bash
# Install what the project needs on a fresh Debian machine, one line per step; the full log is
# printed only when a step fails.
# Usage: bash scripts/setup.sh          # what building the site and the PDFs needs
#        bash scripts/setup.sh --test   # plus what the tests need
set -uo pipefail
cd "$(dirname "$0")/.."

# Building: Chinese fonts (Noto CJK SC), Graphviz for the flow diagrams, and HarfBuzz's subsetter,
# without which WeasyPrint writes each PDF's fonts about 25 times slower.
packages=(fonts-noto-cjk graphviz libharfbuzz-subset0)
# Testing: poppler-utils reads the PDFs back, Chromium drives the site, LibreOffice Writer opens the .docx.
[[ "${1:-}" == "--test" ]] && packages+=(poppler-utils chromium libreoffice-writer)

log=$(mktemp -t setup.XXXXXX.log)
started=$SECONDS
step() {  # step "description" command...: one line, and the log only if it fails
  local what=$1; shift
  printf '%s … ' "$what"
  local t0=$SECONDS
  if "$@" >>"$log" 2>&1; then
    printf '完成（%d 秒）\n' $((SECONDS - t0))
  else
    printf '失败\n\n'; tail -n 40 "$log" >&2
    printf '\n完整日志：%s\n' "$log" >&2
    exit 1
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
if ((${#missing[@]})); then
  step "更新 Debian 软件包索引" $SUDO apt-get update -q
  step "安装 ${missing[*]}" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "系统软件包已齐全：${packages[*]}"
fi

extra=""; [[ "${1:-}" == "--test" ]] && extra="[test]"
step "安装 Python 包 jindu-handbook${extra}" python3 -m pip install --disable-pip-version-check --no-input -e ".${extra}"
# The editors' YAML language server, for tests/test_lsp.py (version pinned in tests/lsp/package-lock.json).
if [[ "${1:-}" == "--test" ]]; then
  step "安装 yaml-language-server（编辑器测试用）" npm ci --prefix tests/lsp --no-audit --no-fund
  step "安装 axe-core（无障碍测试用）" npm ci --prefix tests/axe --no-audit --no-fund
fi
echo "安装完成，用时 $((SECONDS - started)) 秒。"
rm -f "$log"
