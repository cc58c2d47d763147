"""The rule files a domain expert edits: validated when loaded, extended by a bank's own file, never silently redefined."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.funds import parse_request
from assistant.funds._lexicon import LEXICON_FILE, fund_lexicon
from assistant.text import language
from assistant.text._language import RULES_FILE
from finpilot import FinpilotError
from tests.assistant.demo import market as demo_market


def write(home: Path, name: str, text: str) -> Path:
    folder = home / "lexicon"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_files_load_and_every_phrase_is_defined_once() -> None:
    lx = fund_lexicon(None)
    assert lx.theme_words["芯片"] == "半导体" and lx.fund_type_words["债基"] == "bond" and lx.investor_words["保守型"] == 1
    assert language(None).before_side["不超过"] == ("max", True)
    assert LEXICON_FILE.exists() and RULES_FILE.exists()


def test_a_bank_extends_the_words_without_touching_code(tmp_path: Path) -> None:
    write(tmp_path, "funds_mybank.toml", '[themes]\n"机器人" = ["机器人", "robotics"]\n\n[fund_types]\nbond = ["固收类"]\n')
    lx = fund_lexicon(tmp_path)
    assert lx.theme_words["robotics"] == "机器人" and lx.fund_type_words["固收类"] == "bond"
    assert lx.theme_words["芯片"] == "半导体"  # the packaged words stay
    q = parse_request("固收类的机器人主题", lexicon=lx).query
    assert q.fund_types == ["bond"] and q.themes == ["机器人"]


def test_a_bank_extends_negation_words(tmp_path: Path) -> None:
    write(tmp_path, "language_mybank.toml", '[negation]\nbefore = ["坚决不碰"]\n')
    lang = language(tmp_path)
    assert "坚决不碰" in lang.rules.negation.before and "不要" in lang.rules.negation.before


@pytest.mark.parametrize(
    "text, message",
    [('[themes]\n"半导体" = ["芯片"]\n', "themes: '芯片' defined twice in {packaged}"),
     ('[themes]\n"医药" = ["芯片"]\n', "themes: '芯片' means '医药' here but '半导体' in {packaged}"),
     ('[themes]\n"机器人" = ["机器人", "机器人"]\n', "themes: '机器人' defined twice in the same file"),
     ('[risk]\n"很稳" = { min = 9 }\n', "risk.很稳.min: Input should be less than or equal to 5"),
     ('[patterns]\nhold = "(unclosed"\n', "patterns.hold: Value error, not a valid pattern"),
     ('[fund_types]\nbonds = ["x"]\n', "fund_types.bonds.[key]: Input should be"),
     ("[themes\n", "not valid TOML")],
)  # fmt: skip
def test_duplicates_conflicts_and_bad_entries_are_refused_with_one_line_naming_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "funds_bad.toml", text)
    with pytest.raises(FinpilotError) as err:
        fund_lexicon(tmp_path)
    line = str(err.value)
    assert "\n" not in line and line.startswith(f"lexicon file {path}") and message.format(packaged=LEXICON_FILE) in line


def test_an_extension_cannot_redefine_a_packaged_setting(tmp_path: Path) -> None:
    write(tmp_path, "funds_x.toml", "[sort.natural]\nsize = \"asc\"\n")
    with pytest.raises(FinpilotError, match="already set"):
        fund_lexicon(tmp_path)


def test_a_changed_extension_is_picked_up(tmp_path: Path) -> None:
    path = write(tmp_path, "funds_mybank.toml", '[themes]\n"机器人" = ["机器人"]\n')
    assert "机器人" in fund_lexicon(tmp_path).theme_words
    import os
    import time

    path.write_text('[themes]\n"元宇宙" = ["元宇宙"]\n', encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    lx = fund_lexicon(tmp_path)
    assert "元宇宙" in lx.theme_words and "机器人" not in lx.theme_words


def test_a_bank_extends_the_campaign_words_and_a_bad_rule_is_refused(tmp_path: Path) -> None:
    from datetime import date

    from assistant.campaigns import read_brief
    from assistant.campaigns._lexicon import campaign_lexicon

    write(tmp_path, "campaigns_mybank.toml", '[audience]\n"age >= 60" = ["银龄客户"]\n\n[channels]\nwechat_service = ["我行公众号"]\n')
    lx = campaign_lexicon(tmp_path)
    assert lx.audience_words["银龄客户"] == "age >= 60" and lx.channel_words["我行公众号"] == "wechat_service"
    reading = read_brief("给银龄客户推活钱盈，我行公众号，预算5万", demo_market(), date(2026, 11, 24), lexicon=lx)
    assert [c.rule for c in reading.brief.audience] == ["age >= 60"] and reading.brief.channels == ["wechat_service"]
    write(tmp_path, "campaigns_mybank.toml", '[audience]\n"age >> 60" = ["很老的客户"]\n')
    with pytest.raises(FinpilotError, match=r"campaigns_mybank\.toml.*age >> 60"):
        campaign_lexicon(tmp_path)
    write(tmp_path, "campaigns_mybank.toml", '[channels]\nsms = ["push"]\n')
    with pytest.raises(FinpilotError, match=r"campaigns_mybank\.toml: channels: 'push'"):
        campaign_lexicon(tmp_path)
