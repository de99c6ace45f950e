"""The pain-pathway diagram as HTML: positions, marks, cards and escaping."""

from __future__ import annotations

import pytest

from explainer import pathway_diagram as pd_html

SITES = [
    pd_html.DiagramSite("a", "First<br>site", 0, False, True, "About <a>.", "X acts here."),
    pd_html.DiagramSite("b", "Second & co", 1, False, False, "About b."),
    pd_html.DiagramSite("c", "Under", 0.5, True, False, "About c."),
]


def test_sites_sit_on_their_grid_lines_and_open_their_own_card():
    html = pd_html.pathway_html("A diagram", SITES, ["a", "b"], "up", "down")
    assert 'style="grid-column: 1 / 3" popovertarget="pathway-site-a"' in html  # x = 0: centred on line 2
    assert 'style="grid-column: 3 / 5" popovertarget="pathway-site-b"' in html
    assert 'class="xp-site xp-below" style="grid-column: 2 / 4"' in html
    assert '<span class="xp-arrow" aria-hidden="true" style="grid-column: 2 / 4">' in html
    for site_id in "abc":
        assert f'id="pathway-site-{site_id}" popover role="dialog" aria-labelledby="pathway-site-{site_id}-title"' in html
    assert html.count('popovertargetaction="hide">Close</button>') == 3


def test_the_lit_site_is_a_star_with_words_and_everything_is_escaped():
    html = pd_html.pathway_html('A "diagram"', SITES, ["a", "b"], "up", "down")
    first, second = html.split('popovertarget="pathway-site-a">')[1], html.split('popovertarget="pathway-site-b">')[1]
    assert first.split("</button>")[0].count("xp-star") == 1 and "acts here" in first.split("</button>")[0]
    assert "xp-star" not in second.split("</button>")[0] and "acts here" not in second.split("</button>")[0]
    assert "<strong>First<br>site</strong>" in html and "Second &amp; co" in html
    assert "About &lt;a&gt;." in html and 'aria-label="A &quot;diagram&quot;"' in html
    assert "<svg" not in html


def test_a_site_off_the_path_is_refused():
    with pytest.raises(ValueError, match="from 0 to 3"):
        pd_html.pathway_html("x", [pd_html.DiagramSite("z", "Z", 4, False, False, "")], [], "up", "down")
