"""Real servers on 127.0.0.1, each on a free port, for the tests and the load bench alike:
``vinhdanh serve`` (gunicorn) in a process group of its own, a redis-server of one's own that
may be stopped and restarted, and an SMTP sink (aiosmtpd) that keeps what it gets.

The tests wrap them in fixtures (``tests/fixtures/servers.py``, ``queue.py``,
``mail_server.py``); ``bench/load.py`` drives them directly.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- gunicorn ----------------------------------------------------------------------------------


class Server:
    """``vinhdanh serve`` on a port of its own, with the environment given."""

    def __init__(self, env: dict[str, str], workers: int = 1, log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
        out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "web.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers are stopped with it
        )
        self.out = out
        self.workers = workers

    def wait_ready(self, timeout: float = 60) -> Server:
        """Back once the sign-in page answers and every worker has started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self.process.returncode}: {self._log()}"
                )
            try:
                with urllib.request.urlopen(self.url + "/auth/login", timeout=5) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {timeout} s: {self._log()}")

    def worker_pids(self) -> list[int]:
        """The master's children: gunicorn's workers (read from ``/proc``)."""
        return child_pids(self.process.pid)

    def kill(self) -> None:
        """SIGKILL the whole server at once, master and workers, as a crash would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.out is not subprocess.DEVNULL:
            self.out.close()

    def _log(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log else "(no log)"


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is ``parent``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(entry.name))
    return pids


def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a server on ``database_url``; secret and uploads shared by all the
    servers given the same ``instance`` folder."""
    instance.mkdir(parents=True, exist_ok=True)
    env = {
        "VINHDANH_DATABASE_URL": database_url,
        "VINHDANH_INSTANCE_DIR": str(instance),
        "VINHDANH_UPLOAD_DIR": str(instance / "uploads"),
        "VINHDANH_SECRET_KEY": "two-processes-one-secret",
        "VINHDANH_REDIS_URL": "",
        "VINHDANH_SMTP_HOST": "",
    }
    env.update(extra)
    return env


# --- Redis -------------------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port, saving every write to an append-only file, so that a
    stop and a start keep the queue as a real server's restart would."""

    def __init__(self, workdir: Path) -> None:
        self.port, self.workdir = free_port(), workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.workdir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


# --- SMTP --------------------------------------------------------------------------------------


@dataclass
class Received:
    """One message as the server got it: envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()


class Collector:
    """aiosmtpd handler that keeps every message."""

    def __init__(self) -> None:
        self.messages: list[Received] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    collector: Collector = field(default_factory=Collector)
    controller: object | None = None

    @property
    def messages(self) -> list[Received]:
        return self.collector.messages

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()


def start_smtp() -> SmtpServer:
    """A running SMTP sink on 127.0.0.1 (a thread of this process); ``stop()`` it after."""
    from aiosmtpd.controller import Controller

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    return SmtpServer("127.0.0.1", controller.port, collector, controller)
