"""``bench/load.py``'s account of the machine: where the CPU went, per request, and the mean
wait Little's law gives for users sending back to back."""

from __future__ import annotations

import os

from bench import load


def test_the_machine_line_splits_the_cpu_per_request(capsys, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    load.report_machine([1.0, 0.5, 0.25, 2.0], elapsed=1.25, requests=100, users=50)
    out = capsys.readouterr().out
    assert "2 cores busy 80% of the time" in out
    assert "workers 10.00 ms, PostgreSQL 5.00, this client 2.50, the rest 2.50" in out
    assert "all told 20.00 ms" in out
    assert "50 users at 80 req/s wait 625 ms per request on average" in out


def test_machine_cpu_counts_busy_time_only():
    before = load.machine_cpu()
    sum(i * i for i in range(300_000))
    after = load.machine_cpu()
    assert after >= before > 0


def test_the_targets_line_splits_the_public_from_the_signed_in(capsys):
    tally = load.Tally()
    tally.cpu["public: list"] += [1.0, 2.0]
    tally.cpu["public: outcome"] += [3.0]
    tally.cpu["head: home"] += [8.0]
    tally.cpu["nomination: submit"] += [4.0]
    tally.cpu["static file"] += [100.0]  # the floors', never an audience's
    tally.cpu[load.SHELL_KIND] += [100.0]
    load.report_audiences(tally, outside=0.5)
    out = capsys.readouterr().out
    assert "public 2.50 ms (target ≤ 4: met)" in out
    assert "signed in 6.50 ms (target ≤ 6: not met)" in out
    load.report_audiences(load.Tally(), outside=0.5)  # the floor's run: nothing to say
    assert capsys.readouterr().out == ""


def test_the_signed_in_requests_are_set_against_a_page_not_found_signed_in(capsys):
    mix, shell = load.Tally(), load.Tally()
    mix.cpu["public: list"] += [1.0]
    mix.cpu["head: home"] += [8.0]
    mix.cpu["nomination: submit"] += [4.0]
    load.report_shell_ratio(mix, shell)  # no floor measured: nothing to set them against
    assert capsys.readouterr().out == ""
    shell.cpu[load.SHELL_KIND] += [1.5, 2.5]
    load.report_shell_ratio(mix, shell)
    assert "mix / a page not found signed in: 6.00 / 2.00 ms = 3.0" in capsys.readouterr().out
