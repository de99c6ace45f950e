"""Citations in place: the [n] button and the reference card (explainer/citations.py), and how content uses them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from explainer import DATA_DIR, citations, content, evidence

HOSTILE = {
    "id": "evil2020",
    "authors": 'Smith <script>alert("a")</script> & Jones',
    "year": "2020",
    "title": 'A "quoted" <b>title</b>.',
    "journal": "J <i>Bad</i> 2020",
    "doi": "",
    "pmid": "",
    "url": 'https://example.org/?a=1&b="><script>x</script>',
    "used_for": "Claims <img src=x onerror=alert(1)>",
    "superseded_by": "",
    "review_due": None,
    "short_name": "",
}
PLAIN = {
    "id": "plain2019",
    "authors": "Derry S, Bell RF",
    "year": "2019",
    "title": "Pregabalin for neuropathic pain in adults",
    "journal": "Cochrane Database Syst Rev 2019",
    "doi": "",
    "pmid": "",
    "url": "",
    "used_for": "Size of the pregabalin evidence base (45 studies)",
    "superseded_by": "",
    "review_due": None,
    "short_name": "",
}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    return parser


def test_every_value_from_the_data_is_escaped():
    ref = citations.cited_references([HOSTILE])["evil2020"]
    markup = citations.card_html(1, ref, citations.card_id("home/intro", ref.ref_id), "sources#ref-evil2020")
    markup += citations.button_html(1, ref, citations.card_id("home/intro", ref.ref_id))
    assert "<script" not in markup and "<b>" not in markup and "<i>" not in markup and "<img" not in markup
    elements = parse(markup)
    assert [tag for tag, _ in elements.tags if tag in ("script", "img", "b", "i")] == []
    text = "".join(elements.text)
    assert 'Smith <script>alert("a")</script> & Jones' in text  # shown as text, not markup
    assert 'A "quoted" <b>title</b>' in text
    links = [attrs["href"] for tag, attrs in elements.tags if tag == "a"]
    assert links == ['https://example.org/?a=1&b="><script>x</script>', "sources#ref-evil2020"]


def test_the_card_shows_authors_year_title_what_it_supports_and_both_links():
    ref = citations.cited_references([{**PLAIN, "doi": "10.1002/x.y"}])["plain2019"]
    markup = citations.card_html(2, ref, "cite-home-intro-plain2019", "sources?audience=trainee#ref-plain2019")
    text = " ".join("".join(parse(markup).text).split())
    for part in ("Source 2", "Derry S, Bell RF (2019).", "Pregabalin for neuropathic pain in adults", "Cochrane Database Syst Rev 2019."):
        assert part in text
    assert "Used here for: Size of the pregabalin evidence base (45 studies)." in text
    anchors = [attrs for tag, attrs in parse(markup).tags if tag == "a"]
    assert anchors[0]["href"] == "https://doi.org/10.1002/x.y" and anchors[0]["target"] == "_blank" and anchors[0]["rel"] == "noopener"
    assert anchors[1]["href"] == "sources?audience=trainee#ref-plain2019" and anchors[1]["target"] == "_self"
    card = parse(markup).tags[0]
    assert card == (
        "div",
        {
            "class": "citation-card place-card",
            "id": "cite-home-intro-plain2019",
            "popover": None,
            "role": "dialog",
            "aria-labelledby": "cite-home-intro-plain2019-title",
        },
    )
    assert ("p", {"class": "citation-card-title", "id": "cite-home-intro-plain2019-title"}) in parse(markup).tags
    close = [attrs for tag, attrs in parse(markup).tags if tag == "button"]
    assert close == [
        {
            "type": "button",
            "class": "citation-card-close place-card-close",
            "popovertarget": "cite-home-intro-plain2019",
            "popovertargetaction": "hide",
        }
    ]


def test_a_source_without_a_web_address_says_so_and_keeps_the_sources_link():
    ref = citations.cited_references([PLAIN])["plain2019"]
    assert ref.link is None
    markup = citations.card_html(1, ref, "cite-x-plain2019", "sources#ref-plain2019")
    assert "No web link for this source." in markup
    assert [attrs["href"] for tag, attrs in parse(markup).tags if tag == "a"] == ["sources#ref-plain2019"]


def test_pubmed_then_url_stand_in_for_a_missing_doi():
    by_pmid = citations.cited_references([{**PLAIN, "pmid": "123"}])["plain2019"]
    by_url = citations.cited_references([{**PLAIN, "url": "https://www.example.org/r"}])["plain2019"]
    assert by_pmid.link == "https://pubmed.ncbi.nlm.nih.gov/123/" and by_url.link == "https://www.example.org/r"


def test_a_replaced_source_says_so_by_name():
    rows = [{**PLAIN, "superseded_by": "new2025"}, {**PLAIN, "id": "new2025", "short_name": "NeuPSIG 2025"}]
    assert citations.cited_references(rows)["plain2019"].status == "Replaced by NeuPSIG 2025."


def test_the_button_names_its_card_and_keeps_the_number():
    ref = citations.cited_references([PLAIN])["plain2019"]
    markup = citations.button_html(3, ref, "cite-a-plain2019")
    (tag, attrs), *_ = parse(markup).tags
    assert tag == "button" and attrs["popovertarget"] == "cite-a-plain2019" and attrs["type"] == "button"
    assert attrs["aria-label"] == "Source 3: Derry S, Bell RF 2019. Pregabalin for neuropathic pain in adults"
    assert "".join(parse(markup).text) == "3"


def test_card_ids_are_safe_html_ids():
    assert citations.card_id("home/intro", "cohen2018") == "cite-home-intro-cohen2018"
    assert citations.card_id("", "cohen2018") == "cite-cohen2018"
    assert re.fullmatch(r"[a-z0-9_-]+", citations.card_id('a b/"<c>', "x_y-1"))


REAL = citations.cited_references(evidence.load_references(DATA_DIR).to_dict("records"))
BODY = "A [@cohen2018]. B [@finnerup2015; @cohen2018]. C [@cohen2018]."


def render(body: str = BODY, prefix: str = "home/intro"):
    return content.render_markdown(body, lambda i: f"sources?audience=trainee#ref-{i}", references=REAL, id_prefix=prefix)


def test_content_numbers_become_buttons_and_each_reference_gets_one_card():
    rendered = render()
    elements = parse(rendered.html)
    buttons = [attrs for tag, attrs in elements.tags if tag == "button" and attrs.get("class") == "citation"]
    assert [b["popovertarget"] for b in buttons] == [
        "cite-home-intro-cohen2018",
        "cite-home-intro-finnerup2015",
        "cite-home-intro-cohen2018",
        "cite-home-intro-cohen2018",
    ]
    cards = [attrs["id"] for tag, attrs in elements.tags if "citation-card" in (attrs.get("class") or "").split()]
    assert cards == ["cite-home-intro-cohen2018", "cite-home-intro-finnerup2015"]
    assert '<sup class="cite">[' in rendered.html and ">2</button>, <button" in rendered.html  # [2, 1]
    assert rendered.html.count("<style>") == 1  # the cards' CSS, once per section
    assert '<a class="citation"' not in rendered.html
    assert rendered.citations == ["cohen2018", "finnerup2015"]


def test_ids_stay_unique_when_two_sections_on_a_page_cite_the_same_source():
    page = render(prefix="home/intro").html + render(prefix="home/takeaways").html
    ids = [attrs["id"] for _, attrs in parse(page).tags if attrs.get("id")]
    assert len(ids) == len(set(ids)) and len(ids) == 8  # two cards and their title ids, twice
    targets = {attrs["popovertarget"] for tag, attrs in parse(page).tags if tag == "button"}
    assert targets <= set(ids)


def test_a_section_without_citations_has_no_cards():
    assert "citation-card" not in render("Nothing cited here.").html


def test_without_references_the_number_stays_a_link_to_the_sources_page():
    rendered = content.render_markdown("A [@cohen2018].", lambda i: f"sources#ref-{i}")
    assert 'href="sources#ref-cohen2018"' in rendered.html and "popover" not in rendered.html


def test_every_real_reference_makes_a_card():
    for ref in REAL.values():
        markup = citations.card_html(1, ref, citations.card_id("k", ref.ref_id), f"sources#ref-{ref.ref_id}")
        assert ref.title and ref.authors and markup.count("<a ") == (2 if ref.link else 1)
