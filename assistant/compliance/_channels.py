"""The channel policy, read from `channels.toml`: per channel the copy limits and what a message must carry (the
compliance checker) and how often and when it may go out (the campaign planner's cadence). One file, so a limit or a
cap changed there changes both.

Characters are counted as `len()` of the final text: one CJK character, one ASCII letter, one digit, one space and one
punctuation mark each count 1, as SMS carriers bill them (签名、标点、空格都算字数).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.text import home_rules

POLICY_FILE = Path(__file__).with_name("channels.toml")


class ChannelPolicy(BaseModel):
    """How much copy a channel takes, what a message on it must carry, and how often and when it may be sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel_id: str = ""
    text_limit: int | None = Field(default=None, gt=0)
    """Most characters of the whole message (for SMS including sign-off and opt-out); None: no limit."""
    title_limit: int | None = Field(default=None, gt=0)
    """Most characters of a separate title; None when the channel has no title."""
    signoff: bool = False
    """The message must carry the platform's bracketed sign-off."""
    opt_out: str | None = None
    """The opt-out wording a marketing message must carry (回T退订); None when none is required."""
    quiet_hours: tuple[time, time] | None = None
    """From, to (local time, may wrap midnight): nothing is sent then. None for channels seen rather than sent."""
    weekly_cap: int = Field(ge=1, le=21)
    """Most touches per user per 7 days on this channel within one campaign."""
    follow_up_days: int | None = Field(default=None, ge=1, le=14)
    """Days between a touch and a follow-up to those who did not click; None: the channel does not follow up."""

    @property
    def needs_opt_out(self) -> bool:
        return self.opt_out is not None

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _hours(cls, value: object) -> object:
        if isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
            return tuple(time.fromisoformat(v) for v in value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _overnight(cls, value: tuple[time, time] | None) -> tuple[time, time] | None:
        if value is not None and not value[0] > value[1]:
            raise ValueError("quiet_hours run overnight: from an evening hour to a morning one, e.g. [\"21:00\", \"08:00\"]")
        return value

    def send_window(self, after: time | None = None, before: time | None = None) -> str | None:
        """The hours a message may go out: the complement of the quiet hours ("08:00–21:00"), narrowed to what a
        brief allows (after 09:30, before 20:00); None when nothing is left."""
        opens, closes = (self.quiet_hours[1], self.quiet_hours[0]) if self.quiet_hours else (time(0), None)
        if after is not None and after > opens:
            opens = after
        if before is not None and (closes is None or before < closes):
            closes = before
        if closes is not None and closes <= opens:
            return None
        return f"{opens:%H:%M}–{closes:%H:%M}" if closes is not None else f"{opens:%H:%M}–24:00"


class _Defaults(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    signoff_text: str = Field(default="【finpilot】", pattern=r"^【[^】]{1,16}】$")
    opt_out_text: str = Field(default="回T退订", min_length=2)


class _PolicyFile(BaseModel):
    """The schema of channels.toml (and of a home's channels*.toml, which only adds channels)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: _Defaults = Field(default_factory=_Defaults)
    channel: dict[str, ChannelPolicy] = Field(default_factory=dict)

    def entries(self) -> Iterator[tuple[str, str, str]]:
        for cid, policy in self.channel.items():
            yield "channel", cid, policy.model_dump_json()


class _Policies(BaseModel):
    defaults: _Defaults
    by_channel: dict[str, ChannelPolicy]


def _compile(rules: _PolicyFile) -> _Policies:
    return _Policies(defaults=rules.defaults,
                     by_channel={cid: p.model_copy(update={"channel_id": cid}) for cid, p in rules.channel.items()})  # fmt: skip


def _policies() -> _Policies:
    return home_rules(_PolicyFile, POLICY_FILE, "channels", _compile)


def channel_policies() -> dict[str, ChannelPolicy]:
    """Every channel's policy, by channel id."""
    return dict(_policies().by_channel)


def channel_policy(channel_id: str) -> ChannelPolicy:
    """The policy of a channel id; ValueError naming the known ids for an unknown one."""
    policies = _policies().by_channel
    if channel_id not in policies:
        raise ValueError(f"unknown channel {channel_id!r}; known: {', '.join(sorted(policies))}")
    return policies[channel_id]


def default_signoff() -> str:
    """The sign-off the fixes add; an SMS with any bracketed sign-off at either end already has one."""
    return _policies().defaults.signoff_text


def default_opt_out() -> str:
    """The opt-out wording the fixes add at the end of a marketing SMS."""
    return _policies().defaults.opt_out_text


def sms_text(body: str, signoff: str | None = None, opt_out: str | None = None) -> str:
    """The full SMS: sign-off first, then the body, then the opt-out (check it with `check_copy(channel="sms")`)."""
    return f"{signoff or default_signoff()}{body.strip()}{opt_out or default_opt_out()}"


def sms_room(signoff: str | None = None, opt_out: str | None = None) -> int:
    """How many characters the body of one SMS may have once the sign-off and the opt-out are counted."""
    limit = channel_policy("sms").text_limit
    assert limit is not None  # the SMS channel always has one
    return limit - len(signoff or default_signoff()) - len(opt_out or default_opt_out())
