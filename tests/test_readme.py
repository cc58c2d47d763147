"""The README's two commands are the contract with a new user; CI must run exactly the second."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1]
    # A trailing "# ..." explains the command to a person; the command is what comes before it.
    return [line.split(" #")[0].strip() for line in block.splitlines()[1:] if line.strip()]


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("```")[0]
    assert len(head.splitlines()) <= 6, "the two commands must come first"
    main_job, tests = _readme_commands()[:2]
    assert main_job.endswith("finpilot start")
    # Every test, then every eval suite on the offline backend against the release gates.
    assert "[all]" in tests and "python -m pytest" in tests and tests.endswith("finpilot eval run")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    # Before it, only the Debian packages the real-part tests need, installed when missing (as root).
    setup, test = commands[:-1], commands[-1:]
    assert test == [_readme_commands()[1]]
    assert setup[0] == 'debian_packages="chromium fonts-wqy-microhei postgresql"' and len(setup) == 2
    assert "apt-get install" in setup[1] and "pip" not in setup[1] and "pytest" not in setup[1]
