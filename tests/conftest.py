"""Fixtures of every test module.  Every build the tests run, in this process
or in a `publish` subprocess, keeps its caches in a folder of the test
session, not the user's; the writers' tests share a project folder and the
sample article."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from edition_samples import sample_article


@pytest.fixture(autouse=True, scope='session')
def _session_cache_folder(tmp_path_factory):
    old = os.environ.get('XDG_CACHE_HOME')
    os.environ['XDG_CACHE_HOME'] = str(tmp_path_factory.mktemp('xdg-cache'))
    yield
    if old is None:
        os.environ.pop('XDG_CACHE_HOME', None)
    else:
        os.environ['XDG_CACHE_HOME'] = old


@pytest.fixture(scope='module')
def project(tmp_path_factory) -> Path:
    """A project folder with an empty seeds/, one a test module (which may
    define its own instead)."""
    root = tmp_path_factory.mktemp('project')
    (root / 'seeds').mkdir()
    return root


@pytest.fixture(scope='module')
def article(project):
    """The sample article, every block type in it, of :func:`project`."""
    return sample_article(project)
