"""`tutor serve`: the tutor in a browser tab, through textual-serve (the optional `web` extra).

Every tab that connects starts its own `tutor` process with the same profile and save folder as
this command, so progress made in the browser is the same progress as in the terminal. Anyone
who can reach the port can use that tutor (read and change its progress, run code exercises in
its sandbox), so it listens on localhost unless told otherwise, and says so loudly when it is not.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

from tutor.commands import common

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def register(subparsers: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    serve = subparsers.add_parser(
        "serve",
        parents=[parent],
        help="open the tutor in a web browser (needs: pip install -e '.[web]')",
        description=(
            "Serve the tutor to web browsers: open the printed address, and each tab runs its own tutor "
            "with this profile and save folder. Listens on 127.0.0.1 unless --host says otherwise."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.set_defaults(func=run_serve)


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name we cannot vouch for


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser tab runs: this Python, this tutor, these options."""
    argv = [sys.executable, "-m", "tutor", "--profile", common.profile_name(args),
            "--save-dir", str(common.save_dir(args).resolve())]
    if getattr(args, "lessons", None):
        argv += ["--lessons", str(common.lessons_dir(args).resolve())]
    if getattr(args, "accessible", False):  # `tutor --accessible serve`: every tab in the accessible mode
        argv.append("--accessible")
    return shlex.join(argv)


def run_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("tutor serve needs the web extra. Install it with:  pip install -e '.[web]'", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"tutor serve: --port must be between 1 and 65535, not {args.port}", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        print(
            f"WARNING: listening on {args.host}, not on this machine only. Anyone who can reach port "
            f"{args.port} can use this tutor: read and change the progress of profile "
            f"'{common.profile_name(args)}' and run code in its sandbox. There is no password.",
            file=sys.stderr,
        )
    print(f"Serving the tutor at http://{args.host}:{args.port}  (Ctrl+C to stop)", file=sys.stderr)
    Server(app_command(args), host=args.host, port=args.port, title="tutor").serve()
    return 0
