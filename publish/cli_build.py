"""The build subcommands: ``all``, one per writer (``pdf``, ``docx`` …; see
:data:`publish.render.WRITERS`), ``verify``, ``archive``.

The main CLI (publish/cli.py) calls :func:`add_build_commands` with its
subparsers object.  Every subcommand sets ``run`` (and ``func``, the same handler) to a
``handler(args) -> int`` returning the exit status, so the main CLI only has to
do::

    args = parser.parse_args(argv)
    return args.run(args)

The project root is ``args.project_root`` (or ``args.root``) when the main
parser defines one, else the current folder.  All printing happens here;
the work is done by :mod:`publish.build`, :mod:`publish.manifest` and
:mod:`publish.archive`, and every line goes through :mod:`publish.messages`.

``python -m publish.cli_build ARGS`` runs these subcommands on their own.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import messages
from .errors import PublishError
from .render import FORMATS, WRITERS


def _listing(titles: list[str], comma: str, conjunction: str) -> str:
    """'A, B and C' (or 'A、B 和 C')."""
    return comma.join(titles[:-1]) + conjunction + titles[-1] if len(titles) > 1 else titles[0]


def _all_help() -> tuple[str, str]:
    en = _listing([w.title for w in WRITERS.values()], ', ', ' and ')
    zh = _listing([w.title_zh for w in WRITERS.values()], '、', ' 和 ')
    return (f'build the {en} of every article in seeds/ (or of the NAMEs given)',
            f'生成 seeds/ 中每篇文章（或指定文章）的 {zh}')


_HELP = {
    'all': _all_help(),
    **{w.name: w.help for w in WRITERS.values()},
    'verify': ('re-hash dist/ against the manifests; name every changed, missing or extra file',
               '按清单重新校验 dist/，列出每个被改动、缺失或多余的文件'),
    'archive': ('write a BagIt bag of the built editions into dist/archive/',
                '把已生成的版本打包为 BagIt 归档包，放在 dist/archive/'),
}


def _h(key: str) -> str:
    en, zh = _HELP[key]
    return zh if messages.language() == 'zh' else en


def add_build_commands(subparsers) -> None:
    """Add all, one command per writer, verify and archive to an argparse subparsers object."""
    for cmd in ('all',) + FORMATS:
        p = subparsers.add_parser(cmd, help=_h(cmd), description=_h(cmd))
        p.add_argument('names', nargs='*', metavar='NAME',
                       help='article names (seeds/NAME.txt); default: all')
        p.add_argument('-j', '--jobs', type=int, default=None, metavar='N',
                       help='build N editions in parallel (default: number of cores)')
        p.add_argument('--force', action='store_true', help='rebuild even when nothing changed')
        p.add_argument('--layout', default=None, metavar='NAME',
                       help='layout to use instead of the sidecar\'s (layouts/NAME/)')
        p.add_argument('--no-wait', dest='wait', action='store_false',
                       help='when another publish run is building this project, stop at once '
                            'instead of waiting for it')
        p.set_defaults(func=run_build, run=run_build, formats=FORMATS if cmd == 'all' else (cmd,))
    p = subparsers.add_parser('verify', help=_h('verify'), description=_h('verify'))
    p.add_argument('dist', nargs='?', default=None, help='the dist folder (default: dist/)')
    p.set_defaults(func=run_verify, run=run_verify)
    p = subparsers.add_parser('archive', help=_h('archive'), description=_h('archive'))
    p.add_argument('names', nargs='*', metavar='NAME', help='editions to bag; default: all built')
    p.set_defaults(func=run_archive, run=run_archive)


def _root(args) -> Path:
    root = getattr(args, 'project_root', None) or getattr(args, 'root', None)
    return Path(root) if root else Path.cwd()


def _shown(path: Path) -> str:
    """*path* relative to the current folder when inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else str(path)


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Progress:
    """Prints where files went; a bar on a terminal, plain lines otherwise."""

    def __init__(self, stream=None, tty: bool | None = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = 0
        self.bar_shown = False

    def _clear(self):
        if self.bar_shown:
            self.stream.write('\r\x1b[2K')
            self.bar_shown = False

    def _bar(self, done: int, name: str = ''):
        width = 30
        filled = width * done // max(self.total, 1)
        label = messages.msg('build.bar.label')
        self.stream.write(f'\r{label} [{"#" * filled}{"." * (width - filled)}] {done}/{self.total} {name}'[:200])
        self.stream.flush()
        self.bar_shown = True

    def __call__(self, result, done: int, total: int) -> None:
        self.total = total
        if result is None:
            if self.tty and total > 1:
                self._bar(0)
            return
        if self.tty:
            self._clear()
        for f in result.files:
            print(messages.msg('build.wrote', path=f), flush=True)
        for line in result.warning_lines():
            self.stream.write(line + '\n')
            self.stream.flush()
        if total > 1:
            if self.tty:
                self._bar(done, result.name)
            else:
                key = {'built': 'build.progress.built', 'skipped': 'build.progress.skipped',
                       'failed': 'build.progress.failed'}[result.status]
                self.stream.write(messages.msg(key, done=done, total=total, name=result.name,
                                               formats=', '.join(result.formats)) + '\n')
                self.stream.flush()

    def finish(self):
        if self.tty:
            self._clear()
            self.stream.flush()


def run_build(args) -> int:
    from . import build
    progress = Progress()
    try:
        report = build.build_all(_root(args), formats=args.formats, names=args.names or None,
                                 jobs=args.jobs, force=args.force, layout=args.layout,
                                 progress=progress, wait=args.wait, on_wait=_err)
    except PublishError as exc:
        progress.finish()
        _err(messages.format_error(exc))
        return exc.exit_status or 1
    except KeyboardInterrupt:
        progress.finish()
        _err(messages.msg('build.interrupted'))
        return 130
    progress.finish()
    for r in report.failed:
        if r.traceback:
            sys.stderr.write(r.traceback)
    if len(report.results) == 1 and report.failed:
        _err(report.failed[0].error)
    else:
        out = sys.stderr if report.failed else sys.stdout
        for line in report.summary_lines():
            print(line, file=out, flush=True)
    return report.exit_status


def run_verify(args) -> int:
    from .manifest import verify
    dist = Path(args.dist) if args.dist else _root(args) / 'dist'
    if not dist.is_dir():
        _err(messages.msg('verify.no_dist', path=_shown(dist)))
        return 1
    problems = verify(dist)
    for p in problems:
        path = _shown(dist / p.path)
        mpath = _shown(dist / p.manifest) if p.manifest else ''
        if p.kind == 'unreadable':
            print(messages.msg('verify.bad_manifest', path=path, reason=p.detail))
        else:
            print(messages.msg(f'verify.{p.kind}', path=path, manifest=mpath))
    if problems:
        _err(messages.msg('verify.failed', count=len(problems), path=_shown(dist)))
        return 1
    print(messages.msg('verify.ok', files=problems.files, editions=problems.editions))
    return 0


def run_archive(args) -> int:
    from .archive import archive
    try:
        result = archive(_root(args), args.names or None)
    except PublishError as exc:
        _err(messages.format_error(exc))
        return exc.exit_status or 1
    print(messages.msg('archive.written', path=_shown(result.path), count=len(result.editions)))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog='publish')
    sub = parser.add_subparsers(dest='command', required=True)
    add_build_commands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
