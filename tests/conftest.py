"""Every build the tests run, in this process or in a `publish` subprocess,
keeps its file-hash cache in a folder of the test session, not the user's."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope='session')
def _session_cache_folder(tmp_path_factory):
    old = os.environ.get('XDG_CACHE_HOME')
    os.environ['XDG_CACHE_HOME'] = str(tmp_path_factory.mktemp('xdg-cache'))
    yield
    if old is None:
        os.environ.pop('XDG_CACHE_HOME', None)
    else:
        os.environ['XDG_CACHE_HOME'] = old
