"""`tutor serve`: a real server on a free localhost port, its page, and a tutor over its websocket."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

from tutor.commands.serve import app_command, is_loopback  # noqa: E402


ANSI = re.compile(r"\x1b(\[[0-9;?$]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


def visible(stream: str) -> str:
    """What a terminal would print, roughly: the escape sequences removed."""
    return ANSI.sub("", stream)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "TUTOR_SAVE_DIR": str(tmp_path / "saves")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor", "--profile", "webtest", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    try:
        yield port, proc, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def fetch_page(port: int) -> str:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200
                    return await response.text()
            except aiohttp.ClientConnectorError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def test_serve_gives_a_page_and_a_tutor_over_the_websocket(server):
    port, proc, tmp_path = server
    page = await fetch_page(port)
    urls = re.findall(r"ws://[^\"' ]+/ws", page)
    assert urls, "the page names no websocket"
    screen = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(urls[0] + "?width=100&height=30") as ws:
            await ws.send_json(["ping", "hello"])
            pong = False
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not ("Limits and continuity" in visible(screen) and pong):
                try:
                    message = await ws.receive(timeout=5)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.TEXT:
                    if message.data.startswith('["pong"'):
                        pong = True
                    else:
                        screen += message.data
                elif message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data.decode("utf-8", "replace")
                else:
                    break
            assert pong, "the server did not answer a ping"
            text = visible(screen)
            assert "Limits and continuity" in text, f"no course map came over the websocket: {text[-800:]!r}"
            await ws.send_json(["stdin", "q"])
            # q quits that tab's tutor, and the server closes the tab's websocket.
            closed = False
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not closed:
                try:
                    message = await ws.receive(timeout=5)
                except asyncio.TimeoutError:
                    continue
                closed = message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                          aiohttp.WSMsgType.CLOSING)
            assert closed, "q did not end the tab's tutor"
    assert proc.poll() is None, "the server stopped when a tab closed"


def test_each_tab_runs_this_tutor_with_the_same_profile_and_save_folder(tmp_path):
    args = argparse.Namespace(profile="alice", save_dir=str(tmp_path / "my saves"))
    argv = shlex.split(app_command(args))
    assert argv[:3] == [sys.executable, "-m", "tutor"]
    assert argv[argv.index("--profile") + 1] == "alice"
    assert argv[argv.index("--save-dir") + 1] == str((tmp_path / "my saves").resolve())
    assert "--accessible" not in argv
    args.accessible = True
    assert shlex.split(app_command(args))[-1] == "--accessible"


def test_serve_warns_when_listening_beyond_this_machine():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_serve_warning_is_printed_for_a_public_host(tmp_path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TUTOR_SAVE_DIR": str(tmp_path)},
    )
    try:
        time.sleep(3)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "WARNING" in err and "0.0.0.0" in err and "no password" in err
