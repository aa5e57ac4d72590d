"""Command line: argument parsing, output and exit codes; no logic of its own."""
from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from . import __version__
from .cli_build import add_build_commands
from .errors import PublishError
from .messages import localize
from .render import WRITERS
from .serve.command import add_serve_command


def run() -> None:
    """The ``publish`` program: :func:`main` on ``sys.argv``, then exit.

    The objects still alive when the command is done are frozen first: the
    interpreter then frees them at exit without its garbage collector
    traversing them all again, which with the renderers loaded took a
    twentieth of a second."""
    status = main()
    gc.freeze()
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, 'command', None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except PublishError as exc:
        print(f'publish: {localize(exc)}', file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print('publish: interrupted', file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def build_parser() -> argparse.ArgumentParser:
    titles = [w.title for w in WRITERS.values()]
    parser = argparse.ArgumentParser(
        prog='publish',
        description='Repair Chinese newspaper text copied out of multi-column pages and '
                    f'publish it as {", ".join(titles[:-1])} and {titles[-1]}.')
    parser.add_argument('--version', action='version', version=f'publish {__version__}')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')

    normalize = commands.add_parser(
        'normalize', help='print the repaired article (text or JSON)',
        description='Repair a source file: join column-broken paragraphs, fix punctuation, '
                    'recover headline, byline, Q&A heads and run-in heads.')
    normalize.add_argument('file', type=Path, help='the source text (seeds/NAME.txt)')
    normalize.add_argument('--format', choices=('text', 'json'), default='text',
                           help='text: one block a paragraph; json: the article model')
    normalize.add_argument('--explain', action='store_true',
                           help='list every blank line of the source with the decision taken and why')
    normalize.set_defaults(run=run_normalize)

    add_build_commands(commands)
    add_serve_command(commands)
    return parser


def run_normalize(args: argparse.Namespace) -> int:
    from .model import article_json, block_text
    from .normalize.breaks import decisions_json
    from .source import load

    path: Path = args.file
    article, decisions = load(path)
    if args.explain:
        for d in decisions:
            verdict = 'joined' if d.join else 'kept  '
            left, right = d.left.replace('\n', '↵'), d.right.replace('\n', '↵')   # one line per break
            print(f'{path}:{d.line}: {verdict} {d.confidence:.2f}  …{left}¦{right}…', file=sys.stderr)
            for cue in d.cues:
                print(f'    {cue}', file=sys.stderr)
    if args.format == 'json':
        data = article_json(article)
        data['decisions'] = decisions_json(decisions)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write('\n')
    else:
        sys.stdout.write('\n\n'.join(block_text(b) for b in article.blocks) + '\n')
    return 0


if __name__ == '__main__':
    run()
