"""Segments from tags: the rule language (parser, errors, safety), exact counts on DuckDB checked against a plain
Python count over the same Parquet rows, and the same counts from a real PostgreSQL server started by the test."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from assistant.campaigns._rules import RuleError, compile_rule, describe_rule, parse_rule
from assistant.campaigns._warehouse import (
    DuckDBWarehouse,
    PostgresWarehouse,
    load_users,
    open_warehouse,
    reach_rule,
)  # fmt: skip
from finpilot import get_settings
from retrieval._demo import generate_campaigns, generate_channels, generate_offers, generate_products, generate_users
from retrieval._models import Channel
from tests.conftest import free_port

SEED = 20190830
N_USERS = 5_000

Row = dict[str, Any]

# ----------------------------------------------------------------------------------------------------------------
# Data: a small tag table from the demo generator (same columns and correlations as the 100,000-user demo)
# ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def users_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.parquet"
    pq.write_table(generate_users(SEED, N_USERS), path)
    return path


@pytest.fixture(scope="module")
def rows(users_parquet: Path) -> list[Row]:
    return pq.read_table(users_parquet).to_pylist()


@pytest.fixture(scope="module")
def channels() -> list[Channel]:
    return generate_channels(SEED)


@pytest.fixture(scope="module")
def campaign_rules(channels: list[Channel]) -> list[str]:
    products = generate_products(SEED)
    return [c.segment_rule for c in generate_campaigns(SEED, products, channels, generate_offers(SEED))]


@pytest.fixture(scope="module")
def duck(users_parquet: Path, channels: list[Channel]) -> Iterator[DuckDBWarehouse]:
    with DuckDBWarehouse(users_parquet, channels) as warehouse:
        yield warehouse


# Each rule with the same selection written by hand in Python, with SQL's rule for missing values spelled out:
# a comparison with None is never true, not even under `not`.
AUM_ORDER = ["0", "<1k", "1k-10k", "10k-50k", "50k-200k", "200k-1m", "1m+"]
REFERENCE: list[tuple[str, Callable[[Row], bool]]] = [
    ("monthly_active = true and aum_band in ('1k-10k','10k-50k') and age_band in ('25-34','35-44')",
     lambda r: r["monthly_active"] and r["aum_band"] in ("1k-10k", "10k-50k") and r["age_band"] in ("25-34", "35-44")),
    ("days_since_login > 30 and days_since_login <= 90", lambda r: 30 < r["days_since_login"] <= 90),
    ("products_held contains 'suixinfen' and aum_band in ('0','<1k')",
     lambda r: "suixinfen" in r["products_held"] and r["aum_band"] in ("0", "<1k")),
    ("risk_grade >= 4 and city_tier <= 2", lambda r: r["risk_grade"] is not None and r["risk_grade"] >= 4 and r["city_tier"] <= 2),
    ("not (risk_grade >= 3)", lambda r: r["risk_grade"] is not None and not r["risk_grade"] >= 3),
    ("risk_grade is null or products_held not contains 'huoqianying'",
     lambda r: r["risk_grade"] is None or "huoqianying" not in r["products_held"]),
    ("is_merchant = true and merchant_monthly_sales >= 50000",
     lambda r: r["is_merchant"] and r["merchant_monthly_sales"] is not None and r["merchant_monthly_sales"] >= 50_000),
    ("aum_band >= '10k-50k' and not is_merchant", lambda r: AUM_ORDER.index(r["aum_band"]) >= 3 and not r["is_merchant"]),
    ("aum between 1000 and 5e4 or age_band = '65+'", lambda r: 1_000 <= r["aum"] <= 50_000 or r["age_band"] == "65+"),
    ("age_band not between '25-34' and '45-54' and sms_reachable != false",
     lambda r: r["age_band"] not in ("25-34", "35-44", "45-54") and r["sms_reachable"]),
    ("(push_reachable or wechat_reachable) and city_tier not in (4, 5) and age_band != '65+'",
     lambda r: (r["push_reachable"] or r["wechat_reachable"]) and r["city_tier"] not in (4, 5) and r["age_band"] != "65+"),
    ("merchant_monthly_sales is not null and products_held contains 'shangjiadai' or aum > 200000.5",
     lambda r: (r["merchant_monthly_sales"] is not None and "shangjiadai" in r["products_held"]) or r["aum"] > 200_000.5),
    ("AGE_BAND IN ('18-24') AND Monthly_Active", lambda r: r["age_band"] == "18-24" and r["monthly_active"]),
]  # fmt: skip


# ----------------------------------------------------------------------------------------------------------------
# The language
# ----------------------------------------------------------------------------------------------------------------


def test_every_demo_campaign_rule_parses_and_compiles_for_both_engines(campaign_rules: list[str]) -> None:
    assert len(campaign_rules) == 360
    for rule in campaign_rules:
        parsed = parse_rule(rule)
        for dialect in ("duckdb", "postgres"):
            compiled = compile_rule(parsed, dialect)  # type: ignore[arg-type]
            marks = compiled.sql.count("?" if dialect == "duckdb" else "%s")
            assert marks == len(compiled.params), rule
            for value in compiled.params:  # values travel as parameters, never inside the SQL text
                assert not isinstance(value, str) or f"'{value}'" not in compiled.sql


@pytest.mark.parametrize(("rule", "message", "position"), [
    ("agee = 3", "unknown field 'agee' (did you mean age?)", 1), ("age_bnd = '18-24'", "unknown field 'age_bnd' (did you mean age_band?)", 1),
    ("monthly_active = true and aum_band in ('1k-10k') and city_tier = ", "expected a value after '='", 66),
    ("age_band = 3", "age_band is a band: compare it with one of '18-24'", 12),
    ("age_band = '25-35'", "'25-35' is not a valid age_band (did you mean '25-34'?)", 12),
    ("aum_band in ('1k-10k', '10k-50K')", "'10k-50K' is not a valid aum_band", 24),
    ("risk_grade = 6", "risk_grade is 1..5; 6 is out of range", 14),
    ("city_tier = 1.5", "city_tier is a whole number", 13),
    ("monthly_active = 'yes'", "monthly_active is a yes/no tag: compare it with true or false", 18),
    ("monthly_active > true", "'>' does not apply to monthly_active", 1),
    ("products_held = 'sujie'", "use products_held contains 'id'", 1),
    ("age_band contains '25-34'", "'contains' applies to products_held only", 1),
    ("age_band is null", "age_band is never missing", 1),
    ("risk_grade = null", "compare with null using 'is null'", 14),
    ("age_band = 25-34", "age_band is a band", 12),
    ("age_band = young", "found the word 'young' (text takes single quotes: 'young')", 12),
    ('age_band = "25-34"', "text values take single quotes", 12),
    ("age_band == '25-34'", "'==' is not an operator: write '='", 10),
    ("(monthly_active = true", "expected ')' to close the '(' at 1, found the end of the rule", 23),
    ("monthly_active = true)", "unexpected ')' (a ')' without its '('?)", 22),
    ("city_tier <= 2 city_tier = 1", "unexpected 'city_tier' (join conditions with 'and' or 'or')", 16),
    ("aum between 5000 and 1000", "is empty: put the lower end first", 13),
    ("age_band in ()", "'in ()' needs at least one value", 14),
    ("city_tier not = 1", "expected 'in', 'between' or 'contains' after 'not'", 15),
    ("risk_grade is not 3", "expected 'null' after 'is not'", 19),
    ("", "the rule is empty", 1),
    ("user_id = 'u1", "unterminated string", 11),
    ("age_band", "expected an operator", 9),
])  # fmt: skip
def test_errors_say_what_is_wrong_and_where(rule: str, message: str, position: int) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule)
    assert message in str(caught.value)
    assert caught.value.position == position, str(caught.value)
    assert str(caught.value).endswith(f"at {position}")
    assert caught.value.pointer().splitlines()[1] == " " * (position - 1) + "^"


def test_limits_keep_the_parser_small() -> None:
    with pytest.raises(RuleError, match="characters long"):
        parse_rule("monthly_active = true and " * 400 + "monthly_active = true")
    with pytest.raises(RuleError, match="nests deeper"):
        parse_rule("(" * 60 + "monthly_active" + ")" * 60)
    with pytest.raises(RuleError, match="nests deeper"):
        parse_rule("not " * 60 + "monthly_active")
    assert parse_rule("(" * 10 + "monthly_active" + ")" * 10).fields == {"monthly_active"}


@pytest.mark.parametrize("attempt", [
    "age_band = '25-34'; drop table users",
    "age_band = '25-34' -- comment",
    "age_band = '25-34' or 1=1",
    "age_band = '25-34' or 'a'='a'",
    "age_band = '25-34'' or ''1''=''1'",
    "1 = 1",
    "source = 'x'",
    "as_of > '2020-01-01'",
    "age_band = '25-34' union select * from pg_user",
    "age_band in (select age_band from users)",
    "products_held contains 'x') or (1=1",
    "city_tier = 1 /* */",
    "risk_grade >= 3 and user_id = \"admin\"",
    "pg_sleep(10) = 1",
    "user_id = 'a' || 'b'",
    "city_tier = 0x10",
])  # fmt: skip
def test_injection_attempts_are_errors(attempt: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(attempt)


def test_sql_inside_a_value_is_inert(duck: DuckDBWarehouse, users_parquet: Path) -> None:
    before = duck.count("monthly_active").size
    evil = "x'); drop view users; select ('"
    rule = f"user_id = '{evil.replace(chr(39), chr(39) * 2)}' or products_held contains '{evil.replace(chr(39), chr(39) * 2)}'"
    compiled = compile_rule(rule, "duckdb")
    assert compiled.params == (evil, evil)
    assert "drop" not in compiled.sql.lower()
    assert duck.count(rule).size == 0
    assert duck.count("monthly_active").size == before  # the view is still there


def test_ordered_bands_compile_to_the_bands_they_keep() -> None:
    compiled = compile_rule("aum_band > '50k-200k' and age_band <= '18-24' and aum_band < '0'", "postgres")
    assert compiled.params == ("200k-1m", "1m+", "18-24")
    assert "(FALSE)" in compiled.sql  # nothing lies below the lowest band
    assert compile_rule("products_held contains 'sujie'", "duckdb").sql == 'list_contains("products_held", ?)'
    assert compile_rule("products_held contains 'sujie'", "postgres").sql == '(%s = ANY("products_held"))'


def test_describe_rule_in_chinese() -> None:
    text = describe_rule("monthly_active = true and aum_band in ('1k-10k','10k-50k') and risk_grade >= 3 and not is_merchant")
    assert text == "月活，且资产段在 1k-10k、10k-50k 之中，且风险测评等级（C1-C5）不低于 C3，且并非（商家）"
    assert describe_rule("days_since_login > 180 or products_held contains 'sujie'") == "距上次登录天数大于 180，或持有 sujie"


# ----------------------------------------------------------------------------------------------------------------
# DuckDB counts against an independent Python count over the same rows
# ----------------------------------------------------------------------------------------------------------------


def _reach_by_hand(channel: Channel, row: Row) -> bool:
    if channel.reach_tag:
        return bool(row[channel.reach_tag])
    return bool(row["sms_reachable"] if channel.kind == "outbound_call" else row["monthly_active"])


@pytest.mark.parametrize(("rule", "select"), REFERENCE, ids=[r for r, _ in REFERENCE])
def test_duckdb_counts_equal_a_python_count(duck: DuckDBWarehouse, rows: list[Row], channels: list[Channel], rule: str,
                                            select: Callable[[Row], bool]) -> None:  # fmt: skip
    chosen = [r for r in rows if select(r)]
    counted = duck.count(rule)
    assert 0 < counted.size < N_USERS, "a reference rule should select some users, not all"
    assert counted.size == len(chosen)
    assert counted.reachable == {c.channel_id: sum(_reach_by_hand(c, r) for r in chosen) for c in channels}
    grades = duck.investor_grades(rule)
    assert grades.unknown == sum(r["risk_grade"] is None for r in chosen)
    assert grades.by_grade == {g: sum(r["risk_grade"] == g for r in chosen) for g in range(1, 6)}
    assert grades.size == counted.size


def test_the_loaded_table_with_its_holdings_mask_counts_as_the_file_read_in_place(duck: DuckDBWarehouse, users_parquet: Path,
                                                                                 channels: list[Channel], campaign_rules: list[str]) -> None:  # fmt: skip
    assert duck.held_bits and "suixinfen" in duck.held_bits  # holdings are tested as bits of held_mask
    assert '"held_mask"' in duck.count("products_held contains 'suixinfen'").sql
    with DuckDBWarehouse(users_parquet, channels, in_memory=False) as in_place:
        assert not in_place.held_bits
        rules = [*campaign_rules[:60], "not (products_held contains 'sujie') and products_held contains 'no_such_product'",
                 "products_held contains 'fund:bond' or not (products_held contains 'huoqianying')"]
        for rule in rules:
            assert duck.count(rule).model_dump(exclude={"sql"}) == in_place.count(rule).model_dump(exclude={"sql"}), rule


def test_a_count_within_a_wider_segment_is_both_counts_in_one_scan(duck: DuckDBWarehouse) -> None:
    base = "monthly_active = true and aum_band in ('1k-10k','10k-50k') and not (products_held contains 'wenying_90d')"
    rule = base + " and risk_grade >= 2"
    both = duck.count(rule, base=base)
    assert both.sql.count("SELECT") == 1
    assert (both.size, both.reachable, both.base_size) == (duck.count(rule).size, duck.count(rule).reachable, duck.count(base).size)
    assert 0 < both.size < both.base_size


def test_count_is_one_query_and_reach_is_per_channel(duck: DuckDBWarehouse, channels: list[Channel]) -> None:
    counted = duck.count("monthly_active = false and days_since_login > 180")
    assert counted.sql.count("SELECT") == 1 and counted.sql.count("FILTER") == 4  # 16 channels, 4 distinct reach rules
    assert counted.reachable["home_banner"] == 0  # dormant users do not see in-app channels
    assert 0 < counted.reachable["sms"] == counted.reachable["outbound_call"] < counted.size
    assert set(counted.reachable) == {c.channel_id for c in channels}
    assert reach_rule(next(c for c in channels if c.channel_id == "wechat_work")) == "wechat_reachable = true"


def test_user_ids_stream_the_segment_in_order(duck: DuckDBWarehouse, rows: list[Row]) -> None:
    rule = "products_held contains 'sujie' and monthly_active"
    expected = sorted(r["user_id"] for r in rows if "sujie" in r["products_held"] and r["monthly_active"])
    assert list(duck.user_ids(rule)) == expected
    assert list(duck.user_ids(rule, limit=5)) == expected[:5]


def test_investor_grades_tell_who_a_product_does_not_suit(duck: DuckDBWarehouse) -> None:
    grades = duck.investor_grades("aum_band = '0'")
    assert grades.unknown > 0  # the ungraded hold nothing: they sit in the zero band
    assert grades.lowest == 1
    assert grades.unsuitable(3) == grades.unknown + grades.by_grade[1] + grades.by_grade[2]
    assert duck.investor_grades("risk_grade >= 4").lowest == 4


def test_open_warehouse_uses_duckdb_over_the_demo_users(home: Path, users_parquet: Path, channels: list[Channel]) -> None:
    demo = get_settings().demo_dir
    demo.mkdir(parents=True)
    shutil.copy(users_parquet, demo / "users.parquet")
    (demo / "channels.jsonl").write_text("".join(c.model_dump_json() + "\n" for c in channels[:3]), encoding="utf-8")
    with open_warehouse() as warehouse:  # type: ignore[attr-defined]
        assert warehouse.backend == "duckdb"
        assert set(warehouse.count("monthly_active").reachable) == {c.channel_id for c in channels[:3]}


def test_a_table_without_the_tags_is_refused(tmp_path: Path) -> None:
    import pyarrow as pa

    pq.write_table(pa.table({"user_id": ["u1"], "age_band": ["18-24"]}), tmp_path / "thin.parquet")
    with pytest.raises(ValueError, match="lacks the tag columns age, aum, aum_band"):
        DuckDBWarehouse(tmp_path / "thin.parquet")


# ----------------------------------------------------------------------------------------------------------------
# A real PostgreSQL server on 127.0.0.1, loaded with the same users
# ----------------------------------------------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or shutil.which(name, path="/usr/local/bin")
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """Start a throw-away PostgreSQL server (initdb + pg_ctl) on a free port; stop it and delete it afterwards."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: the PostgreSQL warehouse test is skipped")
    pytest.importorskip("psycopg", reason='psycopg is not installed (pip install "finpilot[warehouse]")')
    # PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user instead.
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        prefix = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="finpilot-pg-"))  # short path: it also holds the server's unix socket
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data, log, port = base / "data", base / "server.log", free_port()
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", "finpilot", "--auth=trust", "-E", "UTF8", "--no-locale"],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        started = subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                  "-o", f"-h 127.0.0.1 -p {port} -k {base}", "start"], check=False, capture_output=True, timeout=90)  # fmt: skip
        if started.returncode != 0:
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr.decode(errors="replace")
            pytest.fail(f"PostgreSQL did not start: {detail}")
        yield f"postgresql://finpilot@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            stopped = subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], check=False, capture_output=True, timeout=60)
            if stopped.returncode != 0:
                subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], check=False, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.server
def test_postgres_counts_equal_duckdb_counts(postgres_url: str, users_parquet: Path, duck: DuckDBWarehouse,
                                            channels: list[Channel], campaign_rules: list[str], rows: list[Row]) -> None:  # fmt: skip
    assert load_users(users_parquet, postgres_url) == N_USERS
    with PostgresWarehouse(postgres_url, channels) as pg:
        for rule in [r for r, _ in REFERENCE] + sorted(set(campaign_rules)):
            assert pg.count(rule).model_dump(exclude={"sql"}) == duck.count(rule).model_dump(exclude={"sql"}), rule
        rule, select = REFERENCE[2]
        assert pg.count(rule).size == sum(select(r) for r in rows)
        assert pg.investor_grades(rule) == duck.investor_grades(rule)
        assert list(pg.user_ids(rule)) == list(duck.user_ids(rule))
        assert list(pg.user_ids(rule, limit=7)) == list(duck.user_ids(rule))[:7]
        evil = "x'; drop table users; --"
        assert pg.count(f"user_id = '{evil.replace(chr(39), chr(39) * 2)}'").size == 0
        assert pg.count("monthly_active").size == duck.count("monthly_active").size  # the table survived


@pytest.mark.server
def test_open_warehouse_picks_postgres_from_the_url(postgres_url: str, users_parquet: Path, channels: list[Channel],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    load_users(users_parquet, postgres_url, table="public.tags")
    monkeypatch.setenv("FINPILOT_WAREHOUSE_URL", postgres_url)
    with pytest.raises(ValueError, match="has no table 'nowhere': load one with load_users"):
        PostgresWarehouse(postgres_url, channels, table="nowhere")
    with PostgresWarehouse(postgres_url, channels, table="public.tags") as tags:
        expected = tags.count("city_tier = 1")
        assert 'FROM "public"."tags"' in expected.sql
    load_users(users_parquet, postgres_url)
    with open_warehouse(get_settings(), channels) as warehouse:  # type: ignore[attr-defined]
        assert isinstance(warehouse, PostgresWarehouse) and warehouse.backend == "postgres"
        assert warehouse.count("city_tier = 1").model_dump(exclude={"sql"}) == expected.model_dump(exclude={"sql"})
