"""The clinic profile: every validation rule, the fallbacks, the headers, and the Dockerfile."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from explainer import settings
from explainer.content import render_text
from explainer.settings import ClinicSettings, load_settings, security_headers, settings_from_env, validate
from explainer.site import PAGE_IDS
from tests.conftest import ROOT
from tests.links import exposed_in_markdown

LOGO = ROOT / "static" / "clinic-logo-example.png"


def only_warning(result: ClinicSettings, key: str) -> str:
    assert len(result.warnings) == 1, result.warnings
    message = result.warnings[0]
    assert f"key `{key}`" in message
    return message


# --- the example and the neutral default ---------------------------------------------------


def test_example_profile_is_valid_and_complete():
    result = load_settings(ROOT / "clinic.example.toml")
    assert result.warnings == ()
    shown = tomllib.loads((ROOT / "clinic.example.toml").read_text(encoding="utf-8"))
    assert set(shown) == set(settings.KNOWN_KEYS), "the example should show every key"
    assert result.name and result.phone and result.website and result.booking_url and result.visit_note
    assert result.accent_color == "#0f6e5a"
    assert result.logo == LOGO
    assert "sources" in result.pages


def test_no_environment_variable_means_neutral(monkeypatch):
    monkeypatch.delenv(settings.ENV_VAR, raising=False)
    result = settings_from_env()
    assert result == ClinicSettings()
    assert not result.branded and not result.framing_restricted
    assert result.pages == PAGE_IDS


def test_environment_variable_relative_to_the_project(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = settings_from_env({settings.ENV_VAR: "clinic.example.toml"})
    assert result.name.startswith("Riverside")


def test_missing_file_is_a_notice_not_an_error(tmp_path):
    result = settings_from_env({settings.ENV_VAR: str(tmp_path / "nope.toml")})
    assert result.name == ""
    assert "does not exist" in result.warnings[0] and settings.ENV_VAR in result.warnings[0]


def test_broken_toml_is_a_notice_with_the_line(tmp_path):
    path = tmp_path / "clinic.toml"
    path.write_text('name = "A"\nphone = \n', encoding="utf-8")
    result = load_settings(path)
    assert result == ClinicSettings(source=path, warnings=result.warnings)
    assert "not valid TOML" in result.warnings[0] and "line 2" in result.warnings[0]


# --- one rule at a time: the bad key falls back, the others are kept ---------------------------


def test_unknown_key_is_named_and_ignored():
    result = validate({"name": "Clinic", "colour": "#000000"})
    assert "colour" in only_warning(result, "colour")
    assert result.name == "Clinic"


@pytest.mark.parametrize("value", ["red", "#12345", "#ggg000", 123, "1f5f8b"])
def test_bad_colour_falls_back(value):
    result = validate({"accent_color": value, "name": "Clinic"})
    only_warning(result, "accent_color")
    assert result.accent_color == "" and result.name == "Clinic"


def test_light_colour_is_refused_for_contrast():
    message = only_warning(validate({"accent_color": "#ffcc00"}), "accent_color")
    assert "too light" in message and "4.5:1" in message


@pytest.mark.parametrize(("value", "expected"), [("#0F6E5A", "#0f6e5a"), ("#036", "#003366"), (" #1f5f8b ", "#1f5f8b")])
def test_good_colour_is_normalised(value, expected):
    result = validate({"accent_color": value})
    assert result.warnings == () and result.accent_color == expected


def test_contrast_ratio_matches_wcag_extremes():
    assert settings.contrast_with_white("#000000") == pytest.approx(21.0)
    assert settings.contrast_with_white("#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "value",
    [
        "http://www.example.org",
        "javascript:alert(1)",
        "www.example.org",
        "https://",
        "https://user@example.org",
        'https://example.org/"onmouseover=x',
        "https://exa mple.org",
        "",
        42,
    ],
)
@pytest.mark.parametrize("key", ["website", "booking_url"])
def test_non_https_or_odd_links_are_left_out(key, value):
    result = validate({key: value})
    only_warning(result, key)
    assert getattr(result, key) == ""


def test_https_links_are_kept():
    result = validate({"website": "https://www.example.org", "booking_url": "https://book.example.org/a?b=c"})
    assert result.warnings == ()
    assert result.booking_url == "https://book.example.org/a?b=c"


def test_missing_logo_file_is_named(tmp_path):
    message = only_warning(validate({"logo": "nothing.png"}, base_dir=tmp_path), "logo")
    assert "does not exist" in message and "nothing.png" in message


def test_logo_must_be_an_image(tmp_path):
    (tmp_path / "logo.txt").write_text("x", encoding="utf-8")
    only_warning(validate({"logo": "logo.txt"}, base_dir=tmp_path), "logo")


def test_oversized_logo_is_refused(tmp_path):
    (tmp_path / "big.png").write_bytes(b"\0" * (settings.MAX_LOGO_BYTES + 1))
    assert "larger than" in only_warning(validate({"logo": "big.png"}, base_dir=tmp_path), "logo")


def test_logo_is_found_relative_to_the_profile(tmp_path):
    profile = tmp_path / "clinic.toml"
    (tmp_path / "logo.png").write_bytes(LOGO.read_bytes())
    profile.write_text('logo = "logo.png"\n', encoding="utf-8")
    assert load_settings(profile).logo == tmp_path / "logo.png"


def test_unknown_page_id_is_named_and_dropped():
    result = validate({"pages": ["home", "wizardry", "compare"]})
    message = only_warning(result, "pages")
    assert "wizardry" in message
    assert result.pages == ("home", "compare", "sources")


def test_pages_keep_sources_and_drop_duplicates():
    assert validate({"pages": ["compare", "Compare", "home"]}).pages == ("compare", "home", "sources")


@pytest.mark.parametrize("value", ["home", ["nothing"], [1, 2], []])
def test_unusable_pages_show_every_page(value):
    result = validate({"pages": value})
    assert result.warnings and all("key `pages`" in w for w in result.warnings)
    assert result.pages == PAGE_IDS


@pytest.mark.parametrize("value", ["surgeon", "", 3])
def test_bad_default_audience(value):
    result = validate({"default_audience": value})
    only_warning(result, "default_audience")
    assert result.default_audience == "patient"


def test_default_audience_is_case_insensitive():
    assert validate({"default_audience": " Trainee "}).default_audience == "trainee"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("name", "x" * (settings.MAX_NAME + 1), "more than"),
        ("name", "Two\nlines", "one line"),
        ("name", ["list"], "text"),
        ("visit_note", "y" * (settings.MAX_NOTE + 1), "more than"),
        ("visit_note", "bell\x07", "control"),
        ("phone", "call us", "phone number"),
        ("phone", "12", "phone number"),
    ],
)
def test_bad_text_is_left_out(key, value, words):
    result = validate({key: value})
    assert words in only_warning(result, key)
    assert getattr(result, key) == ""


def test_markup_in_text_is_kept_as_text_for_the_page_to_escape():
    result = validate({"name": "<b>Clinic</b>", "visit_note": "<script>x</script>\nLine two"})
    assert result.warnings == ()
    assert result.name == "<b>Clinic</b>"
    assert result.visit_note.splitlines() == ["<script>x</script>", "Line two"]


# --- framing ---------------------------------------------------------------------------------


def test_origins_are_normalised_and_become_the_header():
    result = validate({"allowed_origins": ["https://WWW.Example.org/", "https://*.clinic.example", "http://localhost:8000"]})
    assert result.warnings == ()
    assert result.allowed_origins == ("https://www.example.org", "https://*.clinic.example", "http://localhost:8000")
    headers = dict(security_headers(result))
    assert headers["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://www.example.org https://*.clinic.example http://localhost:8000"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "origin",
    [
        "http://www.example.org",  # http away from localhost
        "https://www.example.org/embed",  # a path
        "https://www.example.org; script-src *",  # header injection
        "https://www.example.org https://evil.example",
        "www.example.org",
        "https://localhost:99999",
        "https://example",
        "*",
        "'none'",
    ],
)
def test_bad_origin_is_named_and_dropped(origin):
    result = validate({"allowed_origins": ["https://good.example.org", origin]})
    only_warning(result, "allowed_origins")
    assert result.allowed_origins == ("https://good.example.org",)


def test_no_origins_listed_allows_framing_everywhere():
    for profile in ({}, {"allowed_origins": []}):
        result = validate(profile)
        assert result.allowed_origins is None and result.warnings == ()
        assert "Content-Security-Policy" not in dict(security_headers(result))


@pytest.mark.parametrize("value", [["not an origin"], "https://www.example.org"])
def test_unusable_origins_fail_closed(value):
    result = validate({"allowed_origins": value})
    assert result.warnings and all("key `allowed_origins`" in w for w in result.warnings)
    assert result.allowed_origins == ()
    assert dict(security_headers(result))["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_several_bad_keys_each_get_a_message():
    result = validate({"accent_color": "blue", "website": "http://x.org", "pages": ["nope"], "extra": 1})
    keys = {re.search(r"key `(\w+)`", w).group(1) for w in result.warnings}
    assert keys == {"accent_color", "website", "pages", "extra"}


# --- deployment: the Dockerfile cannot be built here (no Docker), so check what matters -------


def dockerfile_lines() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_dockerfile_runs_as_non_root_with_a_health_check():
    lines = dockerfile_lines()
    assert re.match(r"FROM python:3\.\d+-slim", lines[0]), lines[0]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), users
    health = [line for line in lines if line.startswith("HEALTHCHECK")]
    assert len(health) == 1 and "/_stcore/health" in health[0]
    command = next(line for line in reversed(lines) if line.startswith(("CMD", "ENTRYPOINT")))
    assert "serve.py" in command and "0.0.0.0" in command


def test_dockerignore_keeps_secrets_and_clutter_out():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".venv", ".git", "node_modules", "artifacts", "clinic.toml"):
        assert entry in ignored, entry


def test_example_logo_is_a_png():
    assert Path(LOGO).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_values_from_the_profile_are_named_as_code_and_never_become_links(tmp_path):
    """Every warning echoes the profile's values quoted: short inline code, which no renderer links."""
    result = validate(
        {
            "https://login.example.com/key": 1,
            "x" * 5000: 1,
            "pages": ["home", "www.login.example.com"],
            "logo": "https://login.example.com/logo.png",
            "allowed_origins": ["mailto:help@login.example.com", "https://login.example.com/reset"],
        },
        base_dir=tmp_path,
    )
    assert len(result.warnings) == 7, result.warnings  # two unknown keys, pages, logo, two origins, "no origin usable"
    for warning in result.warnings:
        assert exposed_in_markdown(warning, "login.example.com") == [], warning
        assert "<a " not in render_text(warning)
        assert len(warning) < 400, warning
    assert any("`https://login.example.com/key`" in w for w in result.warnings)
