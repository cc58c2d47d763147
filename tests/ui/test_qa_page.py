"""The QA dashboard as a person uses it: run a small suite, read the table and gates, open a case, compare two runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

SUITE = "compliance_own.jsonl"
CASES = 8
"""The first cases of the compliance suite all must be refused, so a system that refuses nothing fails every one."""


@pytest.fixture(autouse=True)
def runs(home: Path) -> Path:
    """The run store of the prepared home, emptied first: the UI tests share that home, never each other's runs."""
    folder = home / "runs"
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def saved_run(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    broken: bool = False,
    started: str | None = None,
    limited: bool = True,
) -> str:
    """Run the first compliance cases offline straight through the harness and save the record; its file stem.

    `limited=False` runs a suite of just those cases in full, so the run is held to the gates."""
    from eval import RunStore, Suite, run_suites, suites
    from ui._qa import eval_settings

    whole = Suite.from_file(next(p for p in suites() if p.name == SUITE))
    suite = whole.head(CASES) if limited else Suite(whole.name, whole.kind, whole.cases[:CASES], f"{whole.digest}/test{CASES}", whole.path)
    with monkeypatch.context() as m:
        if broken:
            m.setattr("assistant.safety.screen", lambda text, backend=None: None)
        record = run_suites([suite], "offline", "demo", eval_settings())
    if started:
        record.started = started
    return RunStore(eval_settings(), root=folder).save(record).stem


def on_qa(app: AppTest) -> AppTest:
    at = app.switch_page("pages/qa.py").run()
    assert not at.exception
    return at


def frame(at: AppTest, key: str) -> pd.DataFrame:
    return at.get_by_key(key).dataframe[0].value


def main_texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at.main, kind)]


def test_running_a_small_suite_shows_the_table_and_gates_and_saves_the_record(
    app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A saved run that sorts first (newest): the run made on the page must still be the one shown.
    other = saved_run(runs, monkeypatch, broken=True, started="2999-01-01T00:00:00+00:00")
    at = on_qa(app)
    assert SUITE in at.multiselect(key="qa_suites").options
    at.multiselect(key="qa_suites").set_value([SUITE])
    at.selectbox(key="qa_backend").set_value("offline")
    at.number_input(key="qa_limit").set_value(5)
    at.button(key="qa_run").click().run()
    assert not at.exception, at.exception

    files = [p for p in runs.glob("*.json") if p.stem != other]
    assert len(files) == 1
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert record["backend"] == "offline" and len(record["cases"]) == 5 and record["gates"]
    # Five cases of a suite are no release bar: the record knows it was limited, and no gate is held.
    assert record["limit"] == 5 and not any(g["gated"] for g in record["gates"])

    bar = at.main.get("progress")
    assert bar and bar[0].value == 100 and "5/5" in bar[0].text
    table = frame(at, "qa_summary")
    row = table[(table["suite"] == SUITE) & (table["metric"] == "pass_rate")]
    assert len(row) == 1
    assert row["offline"].iloc[0] == pytest.approx(record["summary"][SUITE]["pass_rate"])
    assert table[(table["suite"] == SUITE) & (table["metric"] == "cases")]["offline"].iloc[0] == 5
    gates = "\n".join(v for v in main_texts(at, "markdown") if "badge[" in v)
    assert "refused_when_adversarial" in gates and ":gray-badge[不计入门槛]" in gates and "门槛只对完整运行适用" in gates
    assert ":green-badge[" not in gates and ":red-badge[" not in gates
    assert any("门槛只对完整运行适用" in c for c in main_texts(at, "caption"))
    labels = [b.label for b in at.main.get("download_button")]
    assert any("HTML" in label for label in labels)
    assert at.multiselect(key="qa_table_runs").value == [files[0].stem]
    assert at.selectbox(key="qa_drill_run").value == files[0].stem


def test_a_bad_backend_spec_is_one_line_and_runs_nothing(app: AppTest, runs: Path) -> None:
    # What the sidebar stores for a typed spec; under AppTest the shell's sidebar does not rerun after the first run.
    app.session_state["backend"] = "nosuch:thing"
    at = on_qa(app)
    assert at.selectbox(key="qa_backend").value == "nosuch:thing"
    at.multiselect(key="qa_suites").set_value([SUITE])
    at.number_input(key="qa_limit").set_value(2)
    at.button(key="qa_run").click().run()
    assert not at.exception
    errors = main_texts(at, "error")
    assert len(errors) == 1 and "nosuch" in errors[0] and "\n" not in errors[0]
    assert not runs.exists() or not list(runs.glob("*.json"))
    assert not at.main.get("progress")


def test_the_drill_down_shows_a_failed_case_as_json(app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = saved_run(runs, monkeypatch, broken=True)
    at = on_qa(app)
    at.selectbox(key="qa_drill_run").set_value(broken).run()
    at.selectbox(key="qa_drill_suite").set_value(SUITE).run()
    cases = frame(at, "qa_cases")
    assert len(cases) == CASES and not cases["passed"].any()
    at.checkbox(key="qa_drill_failed").check().run()
    assert len(frame(at, "qa_cases")) == CASES
    at.selectbox(key="qa_case").set_value("c003").run()
    assert not at.exception
    shown = [json.loads(j.value) for j in at.main.json]
    assert any(s.get("id") == "c003" and "绝对不会亏" in s.get("request", "") for s in shown)
    assert {"refused": False, "category": None} in shown
    assert {"correct": 0.0, "refused_when_adversarial": 0.0, "refused_when_legitimate": None} in shown


def test_failures_only_hides_passing_cases(app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_run(runs, monkeypatch)
    at = on_qa(app)
    at.selectbox(key="qa_drill_suite").set_value(SUITE).run()
    assert len(frame(at, "qa_cases")) == CASES
    at.checkbox(key="qa_drill_failed").check().run()
    assert not at.exception
    with pytest.raises(KeyError):
        at.get_by_key("qa_cases")
    assert any("0/8" in c for c in main_texts(at, "caption"))


def test_comparing_two_saved_runs_shows_the_flips_and_the_regression(
    app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = saved_run(runs, monkeypatch, started="2024-01-01T00:00:00+00:00")
    broken = saved_run(runs, monkeypatch, broken=True, started="2024-01-02T00:00:00+00:00")
    at = on_qa(app)
    a, b = at.selectbox(key="qa_cmp_a"), at.selectbox(key="qa_cmp_b")
    # Newest first: B (after) defaults to the newest run, A (before) to the one before it.
    assert (a.value, b.value) == (good, broken)
    assert a.options[0].startswith(broken)
    at.button(key="qa_compare").click().run()
    assert not at.exception

    errors = main_texts(at, "error")
    assert len(errors) == 1 and "回归" in errors[0]
    metrics = {m.label: m.value for m in at.main.metric}
    assert metrics["McNemar p"] != "1" and int(metrics[next(k for k in metrics if "b01" in k)]) == CASES
    lost = list(frame(at, "qa_lost")["case"])
    assert lost == [f"{SUITE}:c{i:03d}" for i in range(1, CASES + 1)]
    deltas = frame(at, "qa_deltas").set_index("metric")
    assert deltas.loc["refused_when_adversarial", "delta"] == pytest.approx(-1.0)
    assert "变差" in deltas.loc["refused_when_adversarial", "显著"]

    # The other way round, B fixes what A broke: every case flips to passing and there is no regression.
    at.selectbox(key="qa_cmp_a").set_value(broken)
    at.selectbox(key="qa_cmp_b").set_value(good)
    at.run()
    # The verdict belongs to the pair it was made for: a new pair shows none until Compare is pressed.
    assert not main_texts(at, "error") and not main_texts(at, "success")
    at.button(key="qa_compare").click().run()
    assert not at.exception and not main_texts(at, "error")
    assert any("没有显著回归" in s for s in main_texts(at, "success"))
    assert len(frame(at, "qa_won")) == CASES


def test_english_when_chosen(app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved_run(runs, monkeypatch)
    saved_run(runs, monkeypatch, broken=True)
    # Set before every run: under AppTest the shell's language radio is not rendered again, so its state is dropped.
    app.session_state["lang"] = "en"
    at = on_qa(app)
    assert at.main.title[0].value == "QA dashboard"
    assert at.button(key="qa_run").label == "Run"
    at.session_state["lang"] = "en"
    at.button(key="qa_compare").click().run()
    assert not at.exception
    assert any(e.startswith("Verdict: regression") for e in main_texts(at, "error"))


def test_a_limited_run_is_not_gated_and_a_full_run_fails_its_gates(
    app: AppTest, runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same eight requests, none refused: limited (the first 8 of the suite), the gates are shown and not held;
    # as a suite of its own run in full, refused_when_adversarial fails.
    limited = saved_run(runs, monkeypatch, broken=True, started="2024-01-01T00:00:00+00:00")
    full = saved_run(runs, monkeypatch, broken=True, started="2024-01-02T00:00:00+00:00", limited=False)
    app.session_state["qa_table_runs"] = [full, limited]
    at = on_qa(app)
    assert at.multiselect(key="qa_table_runs").value == [full, limited]
    blocks = [v for v in main_texts(at, "markdown") if "badge[" in v]
    assert len(blocks) == 2
    held, shown = blocks
    assert ":red-badge[" in held and "refused_when_adversarial = 0" in held
    assert ":red-badge[" not in shown and ":green-badge[" not in shown
    assert all(line.startswith("- :gray-badge[不计入门槛]") for line in shown.splitlines()[1:])
    assert "refused_when_adversarial = 0" in shown


def test_the_command_line_and_the_page_list_the_same_runs(app: AppTest, runs: Path) -> None:
    """One store: a run made with `finpilot eval run` and one made on the page are both in FINPILOT_HOME/runs, and
    `finpilot eval list` and the page list exactly those, in the same order."""
    from tests.ui.cli.test_commands import run

    run("eval", "run", "compliance_own", "--backend", "offline", "--limit", "3")
    at = on_qa(app)
    at.multiselect(key="qa_suites").set_value([SUITE])
    at.selectbox(key="qa_backend").set_value("offline")
    at.number_input(key="qa_limit").set_value(2)
    at.button(key="qa_run").click().run()
    assert not at.exception, at.exception

    listed = json.loads(run("eval", "list", "--json").stdout)
    assert [(r["cases"], r["limit"]) for r in listed] == [(2, 2), (3, 3)]
    assert {Path(r["path"]) for r in listed} == set(runs.glob("*.json")) and len(listed) == 2
    keys = [r["key"] for r in listed]
    for key in ("qa_drill_run", "qa_cmp_a", "qa_cmp_b"):
        assert [o.split(" · ")[0] for o in at.selectbox(key=key).options] == keys, key
    assert at.multiselect(key="qa_table_runs").options == at.selectbox(key="qa_drill_run").options
