"""The benchmark scripts still run against the current code (tiny N; nothing is timed here)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "script,argv",
    [
        ("bench.transitions", ["--n", "6", "--sqlite-only"]),
        ("bench.home", ["--n", "4", "--repeat", "1", "--sqlite-only"]),
        ("bench.people", ["--n", "60", "--sqlite-only"]),
        ("bench.decision_docx", ["--n", "40", "--repeat", "1"]),
    ],
)
def test_bench_script_runs(script, argv, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(tmp_path))
    assert importlib.import_module(script).main(argv) == 0
    out = capsys.readouterr().out
    assert "ratio to floor" in out
