"""One build at a time in a dist/ folder, through the real command line."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from test_bad_input import GOOD, make_project, publish_cmd, run_publish
from publish.render import WRITERS

# Holds the build lock of a project's dist/ (with publish's own lock) until
# its standard input closes; with an argument it first forks a process that
# outlives it, as a build's workers would.
HOLD = '''
import multiprocessing, os, sys, time
from pathlib import Path
from publish.build_lock import build_lock
stamps = Path(sys.argv[1])
stamps.mkdir(parents=True, exist_ok=True)
with build_lock(stamps, 'dist', wait=False):
    child = None
    if len(sys.argv) > 2:
        child = multiprocessing.get_context('fork').Process(target=time.sleep, args=(300,))
        child.start()
    print(os.getpid(), child.pid if child else 0, flush=True)
    sys.stdin.read()
'''


def env(lang: str = 'C.UTF-8') -> dict:
    e = {k: v for k, v in os.environ.items() if k not in ('LC_ALL', 'LC_MESSAGES', 'SOURCE_DATE_EPOCH')}
    e.update({'LANG': lang, 'PYTHONDONTWRITEBYTECODE': '1'})
    return e


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path)
    for i in range(4):
        (root / 'seeds' / f'n{i}.txt').write_text(GOOD.replace('25次', f'{i + 1}次'), encoding='utf-8')
    return root


@pytest.fixture
def holder(project):
    """Start a process holding the lock: returns (its pid, the pid of its forked child or 0)."""
    procs, children = [], []

    def start(fork_child: bool = False) -> tuple[int, int]:
        args = [sys.executable, '-c', HOLD, str(project / 'dist' / '.stamps')] + (['fork'] if fork_child else [])
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env())
        procs.append(proc)
        pid, child = map(int, proc.stdout.readline().split())
        if child:
            children.append(child)
        return pid, child

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    for child in children:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


def only_progress(stderr: str) -> bool:
    """Whether *stderr* holds nothing but progress lines and the notice of waiting."""
    built = re.escape(', '.join(WRITERS))
    return all(re.match(rf'\[\d/4\] n\d: built {built}$|dist: waiting for another publish run', line)
               for line in stderr.splitlines())


def release(proc_pid: int) -> None:
    os.kill(proc_pid, signal.SIGTERM)


def test_a_second_build_waits_and_says_so(project, holder):
    pid, _ = holder()
    build = subprocess.Popen(publish_cmd() + ['all', '--force'], cwd=project, env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = build.stderr.readline()
        assert line == f'dist: waiting for another publish run (process {pid}) to finish building there…\n'
        assert build.poll() is None                       # still waiting
        assert not (project / 'dist' / 'n0').exists()
    finally:
        release(pid)
    out, err = build.communicate(timeout=600)
    assert build.returncode == 0 and only_progress(err), err
    assert 'dist/n0/n0.pdf' in out
    assert run_publish(project, 'verify').returncode == 0


def test_no_wait_stops_at_once_naming_the_holder(project, holder):
    pid, _ = holder()
    r = run_publish(project, 'all', '--no-wait')
    assert r.returncode == 1 and r.stdout == ''
    assert r.stderr.splitlines() == [
        f'dist: another publish run (process {pid}) is building there; '
        f'run again when it has finished, or without --no-wait to wait for it']
    assert not (project / 'dist' / 'n0').exists()
    r = run_publish(project, 'docx', '--no-wait', env={'LANG': 'zh_CN.UTF-8'})
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f'dist：另一个 publish 进程（进程号 {pid}）正在此处生成；请在它完成后再运行，或去掉 --no-wait 等待它完成']


def test_a_lock_left_by_a_killed_build_never_blocks(project, holder):
    # the holder is killed outright while a process it forked lives on
    pid, child = holder(fork_child=True)
    os.kill(pid, signal.SIGKILL)
    r = run_publish(project, 'all', '--no-wait')
    assert os.path.exists(f'/proc/{child}')
    assert r.returncode == 0, r.stderr
    assert run_publish(project, 'verify').returncode == 0


def test_two_builds_at_once_both_finish_and_verify(project):
    builds = [subprocess.Popen(publish_cmd() + ['all', '--force', '-j', '2'], cwd=project, env=env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [b.communicate(timeout=900) + (b.returncode,) for b in builds]
    for out, err, status in results:
        assert status == 0 and only_progress(err), err
    r = run_publish(project, 'verify')
    assert r.returncode == 0, r.stdout + r.stderr
    assert not list((project / 'dist').rglob('*.part.*'))
