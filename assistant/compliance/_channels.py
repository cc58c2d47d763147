"""Copy limits per channel, and the SMS frame (sign-off + body + opt-out) that counts towards the 70 characters.

The body limits come from the demo channel table (`retrieval._demo.generate_channels`, field `text_limit`), the single
source of truth the campaign planner also reads, so a limit changed there changes here. Title limits are not in that
table; they come from the platform's copy rules (retrieval/knowledge/playbook-copywriting-by-channel.md: App push
title at most 20 characters; a banner's main title is its text limit).

Characters are counted as `len()` of the final text: one CJK character, one ASCII letter, one digit, one space and one
punctuation mark each count 1, as SMS carriers bill them (签名、标点、空格都算字数).
"""

from __future__ import annotations

import functools

from pydantic import BaseModel, ConfigDict

DEFAULT_SIGNOFF = "【finpilot】"
"""The SMS sign-off the fixes add; an SMS with any bracketed sign-off at either end already has one."""
OPT_OUT = "回T退订"
"""The opt-out wording the fixes add at the end of a marketing SMS."""

# Title limits per channel id, where a channel has a title separate from its body (the demo table has none).
_TITLE_LIMITS = {"app_push": 20}


class ChannelLimit(BaseModel):
    """How much copy a channel takes and what a message on it must carry."""

    model_config = ConfigDict(frozen=True)

    channel_id: str
    text_limit: int | None
    """Most characters of the whole message (for SMS including sign-off and opt-out); None: no limit."""
    title_limit: int | None = None
    needs_signoff: bool = False
    needs_opt_out: bool = False


@functools.cache
def _limits() -> dict[str, ChannelLimit]:
    # Imported here: the demo module pulls numpy and pyarrow, which checking one line of copy should not pay for
    # until a channel is named. The seed only varies click rates, never the limits.
    from retrieval._demo import generate_channels

    return {
        c.channel_id: ChannelLimit(
            channel_id=c.channel_id, text_limit=c.text_limit, title_limit=_TITLE_LIMITS.get(c.channel_id),
            needs_signoff=c.kind == "sms", needs_opt_out=c.kind == "sms",
        )
        for c in generate_channels(0)
    }  # fmt: skip


def channel_limit(channel_id: str) -> ChannelLimit:
    """The limits of a channel id from the channel table; ValueError for an unknown id."""
    limits = _limits()
    if channel_id not in limits:
        raise ValueError(f"unknown channel {channel_id!r}; known: {', '.join(sorted(limits))}")
    return limits[channel_id]


def sms_text(body: str, signoff: str = DEFAULT_SIGNOFF, opt_out: str = OPT_OUT) -> str:
    """The full SMS: sign-off first, then the body, then the opt-out (check it with `check_copy(channel="sms")`)."""
    return f"{signoff}{body.strip()}{opt_out}"


def sms_room(signoff: str = DEFAULT_SIGNOFF, opt_out: str = OPT_OUT) -> int:
    """How many characters the body of one SMS may have once the sign-off and the opt-out are counted."""
    limit = channel_limit("sms").text_limit
    assert limit is not None  # the SMS channel always has one
    return limit - len(signoff) - len(opt_out)
