"""``publish serve`` on the command line: where it listens, what it says, its errors."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from serve_helpers import environment, make_project


def _start(root, *args):
    return subprocess.Popen([sys.executable, '-m', 'publish', 'serve', '--port', '0', *args], cwd=root, env=environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_it_listens_on_this_computer_only_and_prints_the_address_with_the_key(tmp_path):
    process = _start(make_project(tmp_path))
    try:
        line = process.stdout.readline()
        url = re.search(r'http://127\.0\.0\.1:(\d+)/\?key=([\w-]{40,})', line)
        assert url, line
        port = int(url.group(1))
        import http.cookiejar
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(url.group(0)) as response:                 # the key opens the library
            assert 'publish' in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/')
        assert refused.value.code == 403
        with pytest.raises(OSError):            # not on the machine's other addresses
            socket.create_connection((_other_address(), port), timeout=2).close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stderr.read() == ''


def _other_address() -> str:
    """An address of this machine that is not loopback (or a loopback one other than 127.0.0.1)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(('192.0.2.1', 9))          # no packet is sent
            address = probe.getsockname()[0]
    except OSError:
        address = ''
    return address if address and not address.startswith('127.') else '127.0.0.2'


def test_every_start_has_a_new_key(tmp_path):
    keys = []
    for _ in range(2):
        process = _start(make_project(tmp_path / str(len(keys))))
        try:
            keys.append(re.search(r'key=(\S+)', process.stdout.readline()).group(1))
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert keys[0] != keys[1]


def test_another_address_is_announced_loudly(tmp_path):
    process = _start(make_project(tmp_path), '--host', '0.0.0.0')
    try:
        listening = process.stdout.readline()        # printed after the warning
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert 'http://0.0.0.0:' in listening
    assert process.stderr.read().startswith('WARNING: listening on 0.0.0.0, not on this computer only')


def test_without_seeds_it_says_where_to_run_it(tmp_path):
    result = subprocess.run([sys.executable, '-m', 'publish', 'serve'], cwd=tmp_path, capture_output=True,
                            text=True, env=environment())
    assert result.returncode == 2
    assert result.stderr == ('publish: folder not found: seeds '
                             '(run publish serve in the folder that holds seeds/)\n')


def test_a_busy_port_is_one_line_error(tmp_path):
    root = make_project(tmp_path)
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, '-m', 'publish', 'serve', '--port', str(port)], cwd=root,
                                capture_output=True, text=True, env=environment(), timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith(f'publish: cannot listen on 127.0.0.1:{port}: ')
    assert result.stderr.count('\n') == 1 and 'Traceback' not in result.stderr


def test_ctrl_c_stops_it_while_a_page_listens_for_changes(tmp_path):
    import signal
    import time
    process = _start(make_project(tmp_path))
    try:
        url = re.search(r'http://127\.0\.0\.1:(\d+)/\?key=(\S+)', process.stdout.readline())
        port, key = url.group(1), url.group(2)
        stream = socket.create_connection(('127.0.0.1', int(port)), timeout=30)
        stream.sendall(f'GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: publish_key={key}\r\n\r\n'.encode())
        assert b'event: change' in stream.recv(65536) or b'event: change' in stream.recv(65536)
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        process.wait(timeout=30)
        assert time.monotonic() - started < 4          # not held up until the stream's lifetime ends
        stream.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.stderr.read() == ''
