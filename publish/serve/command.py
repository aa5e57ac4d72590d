"""The ``serve`` subcommand: ``publish serve [--port N] [--host ADDR] [--open]``."""
from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from pathlib import Path

from .. import messages

LOOPBACK = '127.0.0.1'
DEFAULT_PORT = 8765


def add_serve_command(subparsers) -> None:
    p = subparsers.add_parser(
        'serve', help='proofread and publish the articles in a browser',
        description='Start the proofing desk: a local web application on the project in the '
                    'current folder (the one with seeds/).')
    p.add_argument('--port', type=int, default=DEFAULT_PORT, metavar='N',
                   help=f'port to listen on (default {DEFAULT_PORT}; 0: any free port)')
    p.add_argument('--host', default=LOOPBACK, metavar='ADDR',
                   help='address to listen on (default 127.0.0.1, this computer only)')
    p.add_argument('--open', action='store_true', help='open the page in the browser')
    p.set_defaults(run=run_serve)


def is_loopback(host: str) -> bool:
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    root = Path.cwd()
    seeds = root / 'seeds'
    if not seeds.is_dir():
        print(f"publish: {messages.msg('serve.no_seeds_dir', path='seeds')}", file=sys.stderr)
        return 2
    try:
        sock = socket.create_server((args.host, args.port), family=socket.AF_INET6
                                    if ':' in args.host else socket.AF_INET)
    except OSError as exc:
        print(f"publish: {messages.msg('serve.port_busy', host=args.host, port=args.port, reason=messages.os_reason(exc))}",
              file=sys.stderr)
        return 1
    port = sock.getsockname()[1]

    import threading

    import uvicorn
    from .app import create_app
    from .security import KEY_PARAM, new_key

    stopping = threading.Event()

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            stopping.set()                  # open event streams end, so Ctrl-C stops at once
            super().handle_exit(sig, frame)

    key = new_key()
    app = create_app(root, key, host=args.host, port=port, stopping=stopping)
    shown = f'[{args.host}]' if ':' in args.host else args.host
    url = f'http://{shown}:{port}/?{KEY_PARAM}={key}'
    if not is_loopback(args.host):
        print(messages.msg('serve.exposed', host=args.host), file=sys.stderr, flush=True)
    print(messages.msg('serve.listening', url=url), flush=True)
    if args.open:
        import webbrowser
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level='warning', access_log=False, lifespan='off',
                            timeout_graceful_shutdown=5)
    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:            # Ctrl-C is how it is stopped: no message
        pass
    return 0
