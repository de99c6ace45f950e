"""The Compare decision aid: the options-by-questions grid and the summary cards."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from explainer import compare, evidence, option_grid
from tests.conftest import ROOT

OPTIONS = list(compare.DEFAULT_OPTIONS)


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(ROOT / "data")


def links(ids):
    return [(ref, f"sources#ref-{ref}") for ref in ids]


class _Table(HTMLParser):
    """The grid's header cells, row headers and each data cell's class and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[tuple[str, list[tuple[str, str]]]] = []
        self._cell: list | None = None
        self._where = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "th" and attributes.get("scope") == "col":
            self.columns.append("")
            self._where = "col"
        elif tag == "th" and attributes.get("scope") == "row":
            self.rows.append(("", []))
            self._where = "row"
        elif tag == "td" and self.rows:
            self.rows[-1][1].append((attributes.get("class") or "", ""))
            self._where = "td"

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._where = ""

    def handle_data(self, data):
        if self._where == "col":
            self.columns[-1] += data
        elif self._where == "row":
            name, cells = self.rows[-1]
            self.rows[-1] = (name + data, cells)
        elif self._where == "td":
            cls, text = self.rows[-1][1][-1]
            self.rows[-1][1][-1] = (cls, text + data)


@pytest.mark.parametrize("pain_type", compare.PAIN_TYPES)
@pytest.mark.parametrize("audience", ["patient", "trainee"])
def test_every_option_answers_every_question(dataset, pain_type, audience):
    grid = option_grid.question_grid(dataset, OPTIONS, pain_type, audience)
    table = _Table(option_grid.grid_html(grid, links))
    assert table.columns == [dataset.option(o)["plain_name"] for o in OPTIONS]
    assert [name for name, _ in table.rows] == list(option_grid.QUESTIONS.values())
    for _, cells in table.rows:
        assert len(cells) == len(OPTIONS) and all(text.strip() for _, text in cells)
    assert set(grid.sources) <= set(dataset.reference_ids)


def test_not_studied_looks_different_from_no_figure(dataset):
    grid = option_grid.question_grid(dataset, ["gabapentin", "tca"], "crps")
    assert grid.cells[0]["soon"].state == "not_studied"
    nerve = option_grid.question_grid(dataset, ["tca"], "neuropathic")
    assert nerve.cells[0]["soon"].state == "no_figure"
    html = option_grid.grid_html(grid, links) + option_grid.grid_html(nerve, links)
    assert 'class="og-not_studied"><span class="og-icon" aria-hidden="true">⊘</span>' in html
    assert 'class="og-no_figure"><span class="og-icon" aria-hidden="true">—</span>' in html
    assert "td.og-not_studied { background: repeating-linear-gradient" in option_grid.CSS  # a pattern, not only a colour


def test_other_pain_types_appear_only_when_asked_and_marked(dataset):
    hidden = option_grid.question_grid(dataset, ["ketamine_iv"], "neuropathic")
    assert "CRPS" not in option_grid.grid_html(hidden, links)
    shown = option_grid.question_grid(dataset, ["ketamine_iv"], "neuropathic", show_other=True)
    html = option_grid.grid_html(shown, links)
    assert "From other kinds of pain, not yours:" in html and "In CRPS:" in html


def test_the_grid_answers_the_patients_question_for_nerve_pain(dataset):
    # "Would ketamine help pain like mine, by how much, for how long?": numbers exist for nerve pain.
    cells = option_grid.option_cells(dataset, "ketamine_iv", "neuropathic")
    assert "2.1 points lower out of 10" in cells["helps"].text and "usual treatment without ketamine" in cells["helps"].text
    assert "up to 30 days" in cells["lasts"].text
    assert cells["sure"].text == "Low certainty."
    mixed = option_grid.option_cells(dataset, "ketamine_iv", "mixed")
    assert "the range of results includes no difference" in mixed["helps"].text  # Cochrane 2025


def test_first_line_numbers_are_labelled_neupsig_2015_beside_the_2025_range(dataset):
    patient = option_grid.option_cells(dataset, "tca", "neuropathic")["helps"].text
    trainee = option_grid.option_cells(dataset, "tca", "neuropathic", "trainee")["helps"].text
    assert "2015 figure" in patient and "11 to 22 more in 100" in patient
    assert "NeuPSIG 2015 value; NeuPSIG 2025 gives NNT 4.6–8.9" in trainee
    sources = option_grid.option_cells(dataset, "tca", "neuropathic")["helps"].sources
    assert "finnerup2015" in sources and "soliman2025" in sources


def test_guidance_is_current_and_for_this_pain(dataset):
    tramadol = option_grid.option_cells(dataset, "tramadol", "neuropathic")["guidance"]
    assert "third choice" in tramadol.text and "soliman2025" in tramadol.sources
    ketamine = option_grid.option_cells(dataset, "ketamine_iv", "crps")["guidance"]
    assert "moderate evidence" in ketamine.text and ketamine.sources == ("cohen2018",)


def test_tried_options_are_marked(dataset):
    grid = option_grid.question_grid(dataset, OPTIONS, "neuropathic", tried=compare.tried_option_ids(["gabapentinoids"]))
    html = option_grid.grid_html(grid, links)
    assert html.count("✓ you have tried this") == 2
    cards = option_grid.summaries_html(dataset, grid, links)
    assert cards.count("✓ you have tried this") == 2


def test_summary_cards_say_unknowns_once(dataset):
    card = option_grid.option_summary(dataset, "tca", "neuropathic")
    assert card.unknown == ("how soon it helps", "how long help lasts")
    labels = [label for label, _ in card.lines]
    assert labels[0] == "Benefit" and "Most serious risk" in labels and "How sure" in labels
    html = option_grid.summaries_html(dataset, option_grid.question_grid(dataset, ["tca"], "neuropathic"), links)
    assert html.count("Not in our sources for this pain") == 1
    crps = option_grid.option_summary(dataset, "gabapentin", "crps")
    assert crps.lines[0] == ("For this pain", "Not studied for this pain in our sources.")


def test_summary_cards_put_ketamine_first_and_skip_analogies(dataset):
    selection = compare.Selection(("tca", "ketamine_iv"))
    assert selection.option_ids(dataset)[0] == "ketamine_iv"
    card = option_grid.option_summary(dataset, "ketamine_iv", "neuropathic")
    assert all("esketamine" not in text for _, text in card.lines)


def test_grid_text_is_escaped():
    grid = option_grid.Grid(
        "neuropathic", ("x",), ("<b>X</b>",), (False,), ({k: option_grid.Cell("<i>a</i> & b") for k in option_grid.QUESTIONS},)
    )
    html = option_grid.grid_html(grid, links)
    assert "<b>X</b>" not in html and "&lt;i&gt;a&lt;/i&gt; &amp; b" in html
