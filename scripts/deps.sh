#!/usr/bin/env bash
# deps.sh: install the Debian packages Qianfa needs that this machine lacks.
#   scripts/deps.sh build   what Fyne's cgo build needs
#   scripts/deps.sh test    the build set, plus what the tests call
#                           (ssh-keygen, sha256sum, git, unzip)
# Installs nothing when all is present, so it is cheap to run every time.
set -euo pipefail

build=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
       libxinerama-dev libxi-dev libxxf86vm-dev)
test=(openssh-client coreutils git unzip)

case "${1:-build}" in
  build) want=("${build[@]}") ;;
  test)  want=("${build[@]}" "${test[@]}") ;;
  *) echo "usage: scripts/deps.sh build|test" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装缺少的软件包：${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v go >/dev/null; then
  echo "找不到 Go 工具链（需要 Go 1.26，通常在 /usr/local/go/bin）。" >&2
  exit 1
fi
