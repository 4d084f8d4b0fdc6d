# Sourced by the ensure-*.sh installers. apt_install_missing PKG...: nothing to do without names;
# as root, installs them with apt-get; otherwise says (中文 first) what is missing and how, and fails.
apt_install_missing() {
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "缺少 / missing: $*" >&2
    echo "请以 root 运行 / run as root: apt-get update && apt-get install -y $*" >&2
    exit 1
  fi
  echo "Installing $* with apt-get ..."
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}
