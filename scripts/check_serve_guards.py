#!/usr/bin/env python3
"""Check that every protection of ``publish serve`` has a test that fails without it.

    .venv/bin/python scripts/check_serve_guards.py

Copies the package and the tests into a temporary folder, removes one
protection at a time (a one-line change each, listed below) and runs the
serve tests there; each removal must make them fail.  Prints one line a
protection and exits 1 if any removal goes unnoticed.  Takes several
minutes (the tests run once a protection).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = ['tests/test_serve_security.py', 'tests/test_serve_app.py', 'tests/test_serve_command.py']

# (protection, file, the line as it is, the line without the protection)
CASES = [
 ('host check', 'publish/serve/security.py', "if host not in self.hosts:", "if False:"),
 ('method check', 'publish/serve/security.py', "if method not in ALLOWED_METHODS:", "if False:"),
 ('key cookie required', 'publish/serve/security.py', "if not hmac.compare_digest(_cookie(headers.get('cookie', '')), self.key):", "if False:"),
 ('key compared', 'publish/serve/security.py', "if given is not None and method in SAFE_METHODS and hmac.compare_digest(given, self.key):", "if given is not None:"),
 ('HttpOnly', 'publish/serve/security.py', "; HttpOnly", ""),
 ('SameSite', 'publish/serve/security.py', "; SameSite=Strict", ""),
 ('CSRF token', 'publish/serve/security.py', "if not hmac.compare_digest(headers.get(CSRF_HEADER, ''), self.csrf) or \\", "if False or \\"),
 ('Origin', 'publish/serve/security.py', "(origin is not None and origin.lower() not in {f'http://{h}' for h in self.hosts}):", "False:"),
 ('length required', 'publish/serve/security.py', "if length is None or not length.isdigit():", "if False:"),
 ('size cap', 'publish/serve/security.py', "if int(length) > self.max_body:", "if False:"),
 ('body cut off', 'publish/serve/security.py', "receive = _capped(receive, int(length))", "pass"),
 ('article name', 'publish/serve/names.py', "if not _NAME.fullmatch(name) or '..' in name or name.endswith('.'):", "if not name:"),
 ('confined to seeds', 'publish/serve/names.py', "if path.parent != folder:", "if False:"),
 ('image name', 'publish/serve/names.py', "if not dot or f'.{suffix.lower()}' not in IMAGE_SUFFIXES or not _NAME.fullmatch(stem) or '..' in stem:", "if False:"),
 ('image magic', 'publish/serve/uploads.py', "if kind is None:", "if False:"),
 ('PNG pixels whole', 'publish/serve/uploads.py', "            _check_png_pixels(data)", "            pass"),
 ('PNG verified', 'publish/serve/uploads.py', "probe.verify()", "pass"),
 ('JPEG end marker', 'publish/serve/uploads.py', "if kind == 'JPEG' and not data.rstrip", "if False and not data.rstrip"),
 ('pixel cap', 'publish/serve/uploads.py', "if width * height > MAX_PIXELS:", "if False:"),
 ('text decoded as the CLI', 'publish/serve/uploads.py', "text = decode(data, Path(name))", "text = data.decode('utf-8', 'replace')"),
 ('text size cap', 'publish/serve/uploads.py', "if len(data) > MAX_TEXT:", "if False:"),
 ('no overwrite', 'publish/serve/app.py', "if any(p.exists() for p in sidecar.article_files(path)):", "if False:"),
 ('autoescape', 'publish/serve/app.py', "autoescape=select_autoescape(default=True)", "autoescape=False"),
 ('CSP', 'publish/serve/security.py', "(b'content-security-policy', CSP.encode()),", ""),
 ('loopback by default', 'publish/serve/command.py', "LOOPBACK = '127.0.0.1'", "LOOPBACK = '0.0.0.0'"),
 ('loud warning', 'publish/serve/command.py', "if not is_loopback(args.host):", "if False:"),
 ('new key per start', 'publish/serve/security.py', "return secrets.token_urlsafe(32)", "return 'k' * 43"),
 ('changes only by POST', 'publish/serve/app.py', "Route('/a/{name}/decision', set_decision, methods=['POST'])", "Route('/a/{name}/decision', set_decision, methods=['GET', 'POST'])"),
]


def main() -> int:
    unnoticed = 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for name in ('publish', 'tests', 'seeds', 'layouts', 'fonts'):
            if (REPO / name).exists():
                shutil.copytree(REPO / name, copy / name, symlinks=True,
                                ignore=shutil.ignore_patterns('__pycache__'))
        for label, rel, old, new in CASES:
            path = copy / rel
            original = path.read_text(encoding='utf-8')
            if original.count(old) != 1:
                print(f'cannot remove "{label}": the line is not in {rel} once', flush=True)
                unnoticed += 1
                continue
            path.write_text(original.replace(old, new), encoding='utf-8')
            try:
                run = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider', *TESTS],
                                     cwd=copy, capture_output=True, text=True, timeout=900)
                last = (run.stdout.strip().splitlines() or [''])[-1]
                noticed = run.returncode != 0
            except subprocess.TimeoutExpired:
                last, noticed = 'the tests hung (stopped after 15 minutes)', True
            finally:
                path.write_text(original, encoding='utf-8')
            unnoticed += not noticed
            print(f'{"noticed" if noticed else "UNNOTICED":9}  {label:26}  {last}', flush=True)
    print(f'{len(CASES) - unnoticed} of {len(CASES)} removals made the tests fail')
    return 1 if unnoticed else 0


if __name__ == '__main__':
    sys.exit(main())
