#!/usr/bin/env bash
# The Debian packages the test suite needs, in one place (used by `make test`,
# .ci/run and tests/conftest.py). Each line: the package, then a file it installs
# that the tests use (present = installed; FOI_CHROMIUM names another Chromium).
#
#   scripts/system_packages.sh table     the list below
#   scripts/system_packages.sh missing   the packages whose file is absent
#   scripts/system_packages.sh install   as root with apt-get: install the missing ones
#                                        (apt-get update once first); otherwise say
#                                        what would be installed and go on
set -euo pipefail

table() {
  cat <<LIST
chromium ${FOI_CHROMIUM:-/usr/bin/chromium}
dovecot-imapd /usr/lib/dovecot/imap
libreoffice-writer-nogui /usr/lib/libreoffice/program/libswlo.so
libreoffice-calc-nogui /usr/lib/libreoffice/program/libsclo.so
tesseract-ocr /usr/bin/tesseract
ocrmypdf /usr/bin/ocrmypdf
LIST
}

missing() {
  table | while read -r package path; do
    [ -e "$path" ] || echo "$package"
  done
}

case "${1:-}" in
  table) table ;;
  missing) missing ;;
  install)
    wanted=$(missing | tr '\n' ' ')
    wanted=${wanted% }
    if [ -z "$wanted" ]; then exit 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing the system packages the tests need: $wanted"
      apt-get update -qq
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $wanted >/dev/null
    else
      echo "Not installing $wanted (needs root and apt-get): the tests that need them will be skipped."
    fi
    ;;
  *) echo "usage: $0 table|missing|install" >&2; exit 2 ;;
esac
