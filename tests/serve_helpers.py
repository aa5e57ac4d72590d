"""A project with the seed and a test client for ``publish serve``."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / 'seeds' / '000_f1de1b68b16b5b86.txt'
NAME = SEED.stem
KEY = 'test-key-0123456789'
BASE = 'http://127.0.0.1:8000'


def environment(**extra) -> dict:
    """The environment of a ``python -m publish`` subprocess: the package of this tree, English."""
    import os
    env = {**os.environ, 'LANG': 'C.UTF-8', **extra}
    env.pop('LC_ALL', None)
    env.pop('LC_MESSAGES', None)
    env['PYTHONPATH'] = os.pathsep.join([str(REPO)] + ([env['PYTHONPATH']] if env.get('PYTHONPATH') else []))
    return env


def make_project(tmp_path: Path, with_seed: bool = True) -> Path:
    root = tmp_path / 'project'
    (root / 'seeds').mkdir(parents=True)
    if with_seed:
        shutil.copy(SEED, root / 'seeds' / SEED.name)
    return root


def client(root: Path, authorized: bool = True, **app_options):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from starlette.testclient import TestClient
    from publish.serve.app import create_app
    app = create_app(root, KEY, host='127.0.0.1', port=8000, **app_options)
    c = TestClient(app, base_url=BASE, follow_redirects=False)
    if authorized:
        response = c.get(f'/?key={KEY}')
        assert response.status_code == 303
    return c


def csrf() -> dict:
    from publish.serve.security import csrf_token
    return {'X-CSRF-Token': csrf_token(KEY)}
