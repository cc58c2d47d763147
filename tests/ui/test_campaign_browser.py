"""The campaign plan in a real browser at a laptop's width (1280 px): the reach funnel draws its bars, no number on
a card is cut off, no Markdown shows raw. Debian's Chromium driven by Playwright; the screenshot lands in
test-artifacts/ui/campaign_1280.png."""

from __future__ import annotations

import pytest

from tests.ui.conftest import ARTIFACTS, chromium_page

BRIEF = "下周给25到40岁、月活的用户推稳盈90天，预算5万，短信和push"

FUNNEL_BARS = """() => {
  // The funnel is the chart whose y axis says it is on a log scale; Streamlit draws Vega-Lite charts as SVG.
  const svg = [...document.querySelectorAll('.vega-embed svg')].find(s => s.textContent.includes('对数刻度'));
  if (!svg) return null;
  return [...svg.querySelectorAll('path[aria-roledescription="bar"]')]
    .map(p => ({height: p.getBBox().height, d: p.getAttribute('d') || ''}));
}"""

CUT_OFF = """() => {
  // Every piece of text on a stat card: cut off when it is wider than its box, when an ellipsis is active on it, or
  // when the card spills out of the grid it sits in. st.metric's parts are checked too, should any come back.
  const parts = '.fp-stat, .fp-stat *, [data-testid="stMetric"], [data-testid="stMetric"] *';
  const cut = [];
  for (const el of document.querySelectorAll(parts)) {
    const wide = el.scrollWidth > el.clientWidth + 1;  // clipped, or spilling over what is next to it
    const ellipsis = getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth;
    const grid = el.closest('.fp-stats');
    const spills = grid && el.getBoundingClientRect().right > grid.getBoundingClientRect().right + 1;
    if (wide || ellipsis || spills) cut.push(el.textContent.trim() + ' (' + el.className + ')');
  }
  return cut;
}"""


@pytest.mark.server
def test_the_campaign_plan_reads_whole_at_1280px(server: str) -> None:
    with chromium_page(1280) as page:
        # In through the app and its navigation, as a person comes: the sidebar then takes its share of the 1280 px.
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_role("link", name="营销活动").wait_for(timeout=120_000)
        page.get_by_role("link", name="营销活动").click()
        page.get_by_role("heading", name="营销活动策划").wait_for(timeout=60_000)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=30_000)
        box.fill(BRIEF)
        box.press("Enter")
        page.get_by_test_id("stDownloadButton").first.wait_for(timeout=120_000)  # a plan came back
        page.get_by_text("效果预测").first.wait_for(timeout=30_000)
        page.get_by_text("A/B 实验").first.wait_for(timeout=30_000)
        # Vega draws after the element arrives: wait for the funnel's bar marks, not for the first DOM.
        page.wait_for_function(f"() => ({FUNNEL_BARS})()?.length > 0", timeout=30_000)
        page.wait_for_timeout(1_000)  # the last frames of Streamlit's rerun settle

        bars = page.evaluate(FUNNEL_BARS)
        drawn = [b for b in bars if b["height"] > 0.5 and "NaN" not in b["d"]]
        # Two channels over five stages; a stage a channel never reaches is left out, so at least the first three each.
        assert len(drawn) >= 6 and len(drawn) == len(bars), f"funnel bars drawn: {len(drawn)} of {len(bars)}: {bars}"

        assert page.locator(".fp-stat").count() >= 15  # segment, budget, forecast and experiment cards
        assert page.get_by_test_id("stMetricValue").count() == 0  # st.metric cut ranges off at this width
        assert page.evaluate(CUT_OFF) == []

        text = page.locator("[data-testid='stMain']").inner_text()
        assert "**" not in text and "\\*" not in text  # Markdown is rendered, never shown raw
        assert "触达节奏" in text and "未点击者" in text  # the cadence, with its follow-ups to non-clickers
        if "先看这里" in text:  # the plan's first lines come before any card
            headline = page.get_by_text("先看这里").first.bounding_box()
            first_card = page.locator(".fp-stat").first.bounding_box()
            assert headline and first_card and headline["y"] < first_card["y"]

        # Streamlit scrolls inside its main section, so a full-page shot needs a viewport as tall as the page.
        height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        page.set_viewport_size({"width": 1280, "height": max(1000, int(height) + 40)})
        page.wait_for_timeout(1_000)
        assert page.evaluate(CUT_OFF) == []
        page.screenshot(path=str(ARTIFACTS / "campaign_1280.png"), full_page=True)
