""".streamlit/config.toml: both colour palettes complete and readable, and the runner settings the
benchmarks rely on."""

from __future__ import annotations

import tomllib

import pytest

from explainer.settings import MIN_CONTRAST, contrast_ratio
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
THEME = CONFIG["theme"]
KEYS = {"primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor", "linkColor"}


def test_contrast_ratio_matches_known_wcag_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert contrast_ratio("#fff", "#777") == contrast_ratio("#777777", "#ffffff")


def test_both_palettes_are_complete():
    assert set(THEME) == {"light", "dark"}
    for name in ("light", "dark"):
        assert set(THEME[name]) == KEYS, name


@pytest.mark.parametrize("name", ["light", "dark"])
def test_text_and_links_read_on_both_backgrounds(name):
    palette = THEME[name]
    for ink in ("textColor", "linkColor"):
        for paper in ("backgroundColor", "secondaryBackgroundColor"):
            ratio = contrast_ratio(palette[ink], palette[paper])
            assert ratio >= MIN_CONTRAST, f"{name}: {ink} on {paper} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", ["light", "dark"])
def test_white_labels_read_on_primary_buttons(name):
    ratio = contrast_ratio("#ffffff", THEME[name]["primaryColor"])
    assert ratio >= MIN_CONTRAST, f"{name}: white on primaryColor is {ratio:.2f}:1"


def test_no_full_garbage_collection_after_every_run():
    # gc.collect(2) after each run cost more server CPU than the pages themselves (benchmarks/README.md).
    assert CONFIG["runner"]["postScriptGC"] is False
    assert CONFIG["runner"]["magicEnabled"] is False


def test_every_way_of_starting_the_server_caps_malloc_arenas(monkeypatch):
    """docs/deploy.md ("Memory"): make run, the Docker image and the test/benchmark servers agree."""
    from scripts import local_site

    started_with = {}

    def record_and_stop(*_, env, **__):
        started_with.update(env)
        raise RuntimeError("not starting a server in a unit test")

    monkeypatch.setattr(local_site.subprocess, "Popen", record_and_stop)
    with pytest.raises(RuntimeError, match="not starting"):
        local_site.start_server()
    assert started_with["MALLOC_ARENA_MAX"] == "2"

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "SERVER_ENV := MALLOC_ARENA_MAX=2" in makefile
    assert "\t$(SERVER_ENV) $(BIN)/streamlit run serve.py" in makefile
    assert "MALLOC_ARENA_MAX=2" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_page_icon_is_a_static_file_served_by_url():
    """A file path as page_icon is read, hashed and registered as a media file on every run."""
    import re

    assert CONFIG["server"]["enableStaticServing"] is True
    entry = (ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    icon = re.search(r'page_icon="/app/static/([^"]+)"', entry)
    assert icon, "page_icon should be a /app/static/ URL"
    assert (ROOT / "static" / icon.group(1)).is_file()
    # static/ is served to anyone: it should hold images only.
    assert {path.suffix for path in (ROOT / "static").iterdir()} <= {".png", ".svg", ".jpg"}


def test_no_parent_page_may_send_host_messages():
    # An empty list: Streamlit's default would trust pages on its Community Cloud domains.
    assert CONFIG["client"]["allowedOrigins"] == []


def test_links_in_the_sites_html_blocks_use_each_palettes_link_colour():
    from explainer import ui

    light, dark = THEME["light"]["linkColor"], THEME["dark"]["linkColor"]
    assert f'[data-testid="stHtml"] a {{ color: light-dark({light}, {dark}); }}' in ui._SITE_CSS
