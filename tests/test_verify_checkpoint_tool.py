"""The standalone verifier (tools/verify_checkpoint.py), run as a journalist would: its own
process, isolated from the app's packages, on files downloaded from the public pages. It
agrees with the server, and fails on every tampered file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.fixtures.audit_tools import add_events
from tests.fixtures.web import app_db
from web.support.checkpoints import signer
from workflow.core import checkpoints
from workflow.core.checkpoints import Signer

TOOL = Path(__file__).resolve().parents[1] / "tools" / "verify_checkpoint.py"


@pytest.fixture()
def site(app, client, tmp_path):
    """Files downloaded from the public site: the key, two checkpoints, two proofs."""
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "key.pem")
    app.config["CHECKPOINT_ORIGIN"] = "vinhdanh.test/audit"
    with app.app_context():
        found = signer(app, create=True)
        with app_db(app) as session:
            add_events(session, 21)
            checkpoints.sign_checkpoint(session, found)
            add_events(session, 16)
            checkpoints.sign_checkpoint(session, found)
    files = tmp_path / "downloads"
    files.mkdir()
    for name, url in (
        ("key.txt", "/public/audit/key.txt"),
        ("checkpoint-21.txt", "/public/audit/checkpoints/21.txt"),
        ("checkpoint-37.txt", "/public/audit/checkpoints/37.txt"),
        ("proof-12.json", "/public/audit/proof/12.json"),
        ("consistency.json", "/public/audit/consistency.json?from=21&to=37"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        (files / name).write_bytes(response.data)
    return files


def run(files: Path, *args: str) -> subprocess.CompletedProcess:
    # -I: no PYTHONPATH, no current directory on the path: nothing of the app is importable.
    return subprocess.run(
        [sys.executable, "-I", str(TOOL), *args],
        cwd=files,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_tool_agrees_with_the_server(client, site):
    key = str(site / "key.txt")
    done = run(site, "checkpoint", "--key", key, "checkpoint-21.txt")
    assert done.returncode == 0 and "có 21 sự kiện" in done.stdout, done.stderr
    done = run(site, "inclusion", "--key", key, "proof-12.json")
    assert done.returncode == 0 and "Sự kiện 12 nằm trong" in done.stdout, done.stderr
    server = client.get("/public/audit/proof/12.json").get_json()
    assert server["ok"] and server["tree_size"] == 37
    done = run(site, "consistency", "--key", key, "--kept", "checkpoint-21.txt", "consistency.json")
    assert done.returncode == 0 and "không bị viết lại" in done.stdout, done.stderr
    assert run(site, "-h").returncode == 0


def _tamper(files: Path, name: str, change) -> str:
    data = json.loads((files / name).read_text(encoding="utf-8"))
    change(data)
    target = files / f"tampered-{name}"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target.name


def _flip(hex_text: str) -> str:
    return ("0" if hex_text[0] != "0" else "1") + hex_text[1:]


def test_the_tool_fails_after_tampering(site):
    key = str(site / "key.txt")

    def proof_hash(d):
        d["proof"][0] = _flip(d["proof"][0])

    def content(d):
        d["canonical"] = d["canonical"].replace('"seq":12', '"seq":13')

    def size(d):
        d["tree_size"] = 36

    def note(d):
        d["checkpoint"] = d["checkpoint"].replace("\n37\n", "\n38\n", 1)

    for change, words in (
        (proof_hash, "không nằm trong"),
        (content, "không khớp với mã băm"),
        (size, "dành cho nhật ký 36 sự kiện"),
        (note, "chữ ký không hợp lệ"),
    ):
        done = run(site, "inclusion", "--key", key, _tamper(site, "proof-12.json", change))
        assert done.returncode == 1 and words in done.stderr, (words, done.stderr)

    def consistency_hash(d):
        d["proof"][-1] = _flip(d["proof"][-1])

    done = run(
        site, "consistency", "--key", key, _tamper(site, "consistency.json", consistency_hash)
    )
    assert done.returncode == 1 and "lịch sử đã bị viết lại" in done.stderr
    # A proof that starts from another size than the checkpoint kept.
    done = run(site, "consistency", "--key", key, "--kept", "checkpoint-37.txt", "consistency.json")
    assert done.returncode == 1 and "không phải 37" in done.stderr


def test_the_tool_refuses_another_key(site):
    other = Signer("vinhdanh.test/audit", Ed25519PrivateKey.generate())
    (site / "other.txt").write_text(str(other.verifier_key), encoding="utf-8")
    done = run(site, "checkpoint", "--key", "other.txt", "checkpoint-21.txt")
    assert done.returncode == 1 and "khóa khác đã ký" in done.stderr
    (site / "forged.txt").write_text(
        other.sign(
            (site / "checkpoint-21.txt").read_text(encoding="utf-8").split("\n\n")[0] + "\n"
        ),
        encoding="utf-8",
    )
    done = run(site, "checkpoint", "--key", "key.txt", "forged.txt")
    assert done.returncode == 1 and "khóa khác đã ký" in done.stderr
    done = run(site, "checkpoint", "--key", "không-có.txt", "checkpoint-21.txt")
    assert done.returncode == 2
