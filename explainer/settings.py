"""The clinic profile: who is sharing the site, how it looks, and which websites may frame it.

A clinic describes itself in a small TOML file whose path is in the ``EXPLAINER_CLINIC``
environment variable (see ``clinic.example.toml``). No variable, or no file, means neutral
branding and framing allowed everywhere.

Every key is checked on its own. A bad value never stops the site: that one key falls back to
a safe default and a plain message naming the key is added to ``ClinicSettings.warnings``,
which the site shows as a notice. The values that survive are safe to use as they are: links
are https, the colour is a ``#rrggbb`` code dark enough to read on white, origins contain only
the characters an origin can contain, and names and notes are plain text (pages must still
show them as text, never as HTML).

The warnings are Markdown in the site's own words. Anything in them that came from the profile
(an unknown key, a path, a page id, an origin) is quoted with ``explainer.quoting.quoted``: short,
inline code, never a link. Draw a warning as it is; escaping it again would undo the quoting.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explainer import ROOT
from explainer.quoting import quoted, quoted_list
from explainer.site import AUDIENCES, DEFAULT_AUDIENCE, PAGE_IDS

ENV_VAR = "EXPLAINER_CLINIC"

# Pages the site cannot do without: every number links to Sources.
ALWAYS_SHOWN = ("sources",)

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".webp")
MAX_LOGO_BYTES = 1_000_000
MAX_NAME = 80
MAX_NOTE = 600
MAX_URL = 300
# Links and buttons use the accent colour on white; WCAG AA for normal text asks for 4.5:1.
MIN_CONTRAST = 4.5

KNOWN_KEYS = (
    "name",
    "phone",
    "website",
    "booking_url",
    "accent_color",
    "logo",
    "pages",
    "default_audience",
    "visit_note",
    "allowed_origins",
)

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PHONE = re.compile(r"[+0-9 ()./-]{3,30}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"(?:\*\.)?{_HOST_LABEL}(?:\.{_HOST_LABEL})*")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# Paths and error texts are the operator's own and need room to be useful; still one line.
SHOWN_PATH = 120


@dataclass(frozen=True)
class ClinicSettings:
    """A validated clinic profile. The defaults are the neutral, unbranded site."""

    name: str = ""
    phone: str = ""
    website: str = ""
    booking_url: str = ""
    accent_color: str = ""
    logo: Path | None = None
    pages: tuple[str, ...] = PAGE_IDS
    # True when the profile's own ``pages`` key chose the pages (PAGE_IDS above is then its list, not
    # the default): an embed shows "For clinics" to visitors only when the clinic listed it.
    pages_listed: bool = False
    default_audience: str = DEFAULT_AUDIENCE
    visit_note: str = ""
    # None: no origins listed, framing allowed everywhere. A tuple (possibly empty when every
    # listed origin was invalid): only the site itself and these origins may frame it.
    allowed_origins: tuple[str, ...] | None = None
    source: Path | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def branded(self) -> bool:
        return bool(self.name or self.logo or self.phone or self.website or self.booking_url)

    @property
    def framing_restricted(self) -> bool:
        return self.allowed_origins is not None


# --- loading -----------------------------------------------------------------------------


def clinic_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """The profile path named by EXPLAINER_CLINIC (relative paths: working folder, then project)."""
    raw = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute() and not path.exists() and (ROOT / path).exists():
        path = ROOT / path
    return path


def settings_from_env(environ: Mapping[str, str] | None = None) -> ClinicSettings:
    path = clinic_path(environ)
    return ClinicSettings() if path is None else load_settings(path)


def load_settings(path: Path) -> ClinicSettings:
    """Read and validate a profile. Never raises: problems become warnings and defaults."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ClinicSettings(
            source=path,
            warnings=(
                f"The clinic profile {quoted(path, SHOWN_PATH)} (from `{ENV_VAR}`) does not exist, so the site uses neutral branding.",
            ),
        )
    except (OSError, UnicodeDecodeError) as error:
        return ClinicSettings(
            source=path,
            warnings=(
                f"The clinic profile {quoted(path, SHOWN_PATH)} could not be read ({quoted(error, SHOWN_PATH)}), so the site uses neutral branding.",
            ),
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return ClinicSettings(
            source=path,
            warnings=(
                f"The clinic profile {quoted(path, SHOWN_PATH)} is not valid TOML ({quoted(error, SHOWN_PATH)}), so the site uses neutral branding.",
            ),
        )
    return validate(raw, base_dir=path.parent, source=path)


# --- validation --------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.messages.append(f"Clinic profile, key {quoted(key)}: {message}")


def validate(raw: Mapping[str, Any], base_dir: Path = ROOT, source: Path | None = None) -> ClinicSettings:
    """Check every key of a parsed profile; each bad key falls back to its default."""
    problems = _Problems()
    for key in raw:
        if key not in KNOWN_KEYS:
            problems.add(key, f"is not a setting we know, so it is ignored. Known keys: {', '.join(KNOWN_KEYS)}.")

    values: dict[str, Any] = {}
    checks = {
        "name": lambda v: _plain_text("name", v, MAX_NAME, problems),
        "phone": lambda v: _phone(v, problems),
        "website": lambda v: _https_url("website", v, problems),
        "booking_url": lambda v: _https_url("booking_url", v, problems),
        "accent_color": lambda v: _colour(v, problems),
        "logo": lambda v: _logo(v, base_dir, problems),
        "pages": lambda v: _pages(v, problems),
        "default_audience": lambda v: _audience(v, problems),
        "visit_note": lambda v: _plain_text("visit_note", v, MAX_NOTE, problems, multiline=True),
        "allowed_origins": lambda v: _origins(v, problems),
    }
    for key, check in checks.items():
        if key in raw:
            value = check(raw[key])
            if value is not None:
                values[key] = value
    return ClinicSettings(**values, pages_listed="pages" in values, source=source, warnings=tuple(problems.messages))


def _plain_text(key: str, value: Any, limit: int, problems: _Problems, multiline: bool = False) -> str | None:
    if not isinstance(value, str):
        problems.add(key, "must be text in quotes; it is left empty.")
        return None
    text = value.strip()
    if not multiline and "\n" in text:
        problems.add(key, "must be one line; it is left empty.")
        return None
    if _CONTROL.search(text):
        problems.add(key, "contains control characters; it is left empty.")
        return None
    if len(text) > limit:
        problems.add(key, f"is {len(text)} characters long, more than the {limit} allowed; it is left empty.")
        return None
    return text


def _phone(value: Any, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not _PHONE.fullmatch(value.strip()) or sum(c.isdigit() for c in value) < 3:
        problems.add("phone", "must be a phone number (digits, spaces, + ( ) . - only, up to 30 characters); it is left out.")
        return None
    return value.strip()


def check_https_url(value: Any) -> str | None:
    """Return a problem with a link, or None when it is a plain https URL with a host."""
    if not isinstance(value, str) or not value.strip():
        return "must be a web address in quotes"
    text = value.strip()
    if len(text) > MAX_URL:
        return f"is longer than {MAX_URL} characters"
    if any(c.isspace() for c in text) or _CONTROL.search(text) or any(c in text for c in "\"'<>`\\"):
        return "contains spaces, quotes or other characters a web address cannot have"
    parts = urlsplit(text)
    if parts.scheme.lower() != "https":
        return "must start with https:// (a secure link)"
    if not parts.hostname or "@" in parts.netloc:
        return "must name a website after https://"
    return None


def _https_url(key: str, value: Any, problems: _Problems) -> str | None:
    problem = check_https_url(value)
    if problem:
        problems.add(key, f"{problem}; the link is left out.")
        return None
    return value.strip()


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rgb/#rrggbb colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two #rgb/#rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of a #rgb/#rrggbb colour against white."""
    return contrast_ratio(colour, "#ffffff")


def _colour(value: Any, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value.strip()):
        problems.add("accent_color", "must be a colour code like `#1f5f8b`; the site's own colour is used.")
        return None
    colour = value.strip().lower()
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        problems.add(
            "accent_color",
            f"{colour} is too light to read on white (contrast {ratio:.1f}:1, at least {MIN_CONTRAST}:1 needed); the site's own colour is used.",
        )
        return None
    return colour


def _logo(value: Any, base_dir: Path, problems: _Problems) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        problems.add("logo", "must be the path of an image file in quotes; no logo is shown.")
        return None
    path = Path(value.strip()).expanduser()
    if not path.is_absolute():
        path = (base_dir / path).resolve()
    if path.suffix.lower() not in LOGO_SUFFIXES:
        problems.add("logo", f"{quoted(value, SHOWN_PATH)} is not a {', '.join(LOGO_SUFFIXES)} image; no logo is shown.")
        return None
    if not path.is_file():
        problems.add("logo", f"the file {quoted(path, SHOWN_PATH)} does not exist; no logo is shown.")
        return None
    if path.stat().st_size > MAX_LOGO_BYTES:
        problems.add("logo", f"{quoted(path, SHOWN_PATH)} is larger than {MAX_LOGO_BYTES // 1000} kB; no logo is shown.")
        return None
    return path


def _pages(value: Any, problems: _Problems) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(
            "pages", f'must be a list of page ids like `["home", "compare"]`; every page is shown. Page ids: {", ".join(PAGE_IDS)}.'
        )
        return None
    chosen, unknown = parse_page_ids(value)
    if unknown:
        problems.add(
            "pages",
            f"{quoted_list(unknown)} {'is not a page id' if len(unknown) == 1 else 'are not page ids'}, so left out. Page ids: {', '.join(PAGE_IDS)}.",
        )
    if not chosen:
        problems.add("pages", "names no page we know; every page is shown.")
        return None
    return chosen


def parse_page_ids(values: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split page ids into (known, in the order given, plus the pages always shown; unknown)."""
    known: list[str] = []
    unknown: list[str] = []
    for item in values:
        page_id = item.strip().lower()
        if page_id in PAGE_IDS:
            if page_id not in known:
                known.append(page_id)
        elif item.strip():
            unknown.append(item.strip())
    if known:
        known += [page_id for page_id in ALWAYS_SHOWN if page_id not in known]
    return tuple(known), tuple(unknown)


def _audience(value: Any, problems: _Problems) -> str | None:
    if not isinstance(value, str) or value.strip().lower() not in AUDIENCES:
        problems.add("default_audience", f"must be one of {', '.join(AUDIENCES)}; {DEFAULT_AUDIENCE} is used.")
        return None
    return value.strip().lower()


def check_origin(value: Any) -> str | None:
    """Return a problem with an origin, or None when it is scheme://host[:port] and nothing else.

    https is required, except for loopback hosts (localhost, 127.0.0.1, [::1]) used in testing.
    A leading ``*.`` (any subdomain) is allowed, as Content-Security-Policy allows it.
    """
    if not isinstance(value, str) or not value.strip():
        return "an origin must be text like `https://www.example.org`"
    text = value.strip()
    if any(c.isspace() for c in text) or any(c in text for c in ";,'\"<>`\\"):
        return f"{quoted(text)} contains spaces or punctuation an origin cannot have"
    if "://" not in text:
        return f"{quoted(text)} must start with https://"
    parts = urlsplit(text[:-1] if text.endswith("/") else text)
    if parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return f"{quoted(text)} must be only scheme and host (and port), with no path"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        return f"{quoted(text)} has a port that is not a number from 1 to 65535"
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if host in LOOPBACK_HOSTS:
        if scheme not in ("http", "https"):
            return f"{quoted(text)} must start with https:// or http://"
    elif scheme != "https":
        return f"{quoted(text)} must start with https:// (http is allowed only for localhost)"
    elif not _HOST.fullmatch(host) or "." not in host.removeprefix("*."):
        return f"{quoted(text)} does not name a website"
    return None


def normalise_origin(value: str) -> str:
    return value.strip().rstrip("/").lower()


def _origins(value: Any, problems: _Problems) -> tuple[str, ...] | None:
    # A wrong value fails closed: the clinic asked for a restriction, so we keep one
    # (the site itself only) until the list is fixed.
    if not isinstance(value, list):
        problems.add(
            "allowed_origins",
            'must be a list like `["https://www.example.org"]`; until it is fixed, no other website may frame this site.',
        )
        return ()
    origins: list[str] = []
    for item in value:
        problem = check_origin(item)
        if problem:
            problems.add("allowed_origins", f"{problem}; that entry is left out.")
        elif normalise_origin(item) not in origins:
            origins.append(normalise_origin(item))
    if value and not origins:
        problems.add("allowed_origins", "no entry was usable, so no other website may frame this site until the list is fixed.")
    if not value:
        return None  # an empty list means "no origins listed": framing allowed everywhere
    return tuple(origins)


# --- HTTP headers ------------------------------------------------------------------------


def frame_ancestors(settings: ClinicSettings) -> str | None:
    """The Content-Security-Policy value, or None when any site may frame us.

    'self' is always included so the "For clinics" page can show its live preview.
    """
    if settings.allowed_origins is None:
        return None
    return " ".join(("frame-ancestors", "'self'", *settings.allowed_origins))


def security_headers(settings: ClinicSettings) -> list[tuple[str, str]]:
    """Headers added to every HTTP response of the site."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    policy = frame_ancestors(settings)
    if policy:
        headers.append(("Content-Security-Policy", policy))
    return headers
