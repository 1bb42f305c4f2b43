"""The benchmark scripts still run against the current code (tiny N; nothing is timed here)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "script,argv,printed",
    [
        ("bench.transitions", ["--n", "6", "--sqlite-only"], "ratio to floor"),
        ("bench.home", ["--n", "4", "--repeat", "1", "--sqlite-only"], "ratio to floor"),
        ("bench.people", ["--n", "60", "--sqlite-only"], "ratio to floor"),
        ("bench.decision_docx", ["--n", "40", "--repeat", "1"], "ratio to floor"),
        ("bench.certificates", ["--n", "8", "--repeat", "1", "--sqlite-only"], "ratio to floor"),
        ("bench.lists", ["--n", "4", "--sqlite-only"], "ratio list / single"),
        ("bench.pages", ["--requests", "1", "--runs", "1", "--sqlite-only"], "static file"),
        ("bench.audit", ["--n", "300", "--verify-n", "50", "--sqlite-only"], "ratio verify"),
    ],
)
def test_bench_script_runs(script, argv, printed, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(tmp_path))
    assert importlib.import_module(script).main(argv) == 0
    out = capsys.readouterr().out
    assert printed in out
