#!/usr/bin/env bash
# Set up publish on Debian 12 (as root): system packages, a virtual
# environment in .venv and the package in it.  Idempotent; quick when
# everything is already in place.
#
#   scripts/setup.sh          what `publish all` needs
#   scripts/setup.sh --test   also what the tests need (LibreOffice, Java, qpdf, headless Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=(python3 python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
         libjpeg62-turbo zlib1g fontconfig git)
testing=(poppler-utils qpdf default-jre-headless libreoffice-writer-nogui chromium chromium-driver)
packages=("${runtime[@]}")
extra=""
if [[ "${1:-}" == "--test" ]]; then
    packages+=("${testing[@]}")
    extra="[test]"
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser tests reach ChromeDriver as "localhost" (Selenium's choice).  A
# Debian installer writes /etc/hosts, a bare debootstrap or container root may
# not: then the name does not resolve, and it is added.
if [[ -n "$extra" ]] && ! getent hosts localhost >/dev/null; then
    echo "setup: adding localhost to /etc/hosts"
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >> /etc/hosts
fi

if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
stamp=".venv/.publish-installed${extra}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "setup: installing publish${extra} into .venv"
    if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
           .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"; } \
           > .venv/pip.log 2>&1; then
        cat .venv/pip.log >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi

# Byte-compile the package (an editable install is not compiled by pip, and
# with PYTHONDONTWRITEBYTECODE set every run would compile it anew); quick
# when nothing changed.
.venv/bin/python -m compileall -q publish >/dev/null
