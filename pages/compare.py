"""Compare: the options side by side for the visitor's kind of pain: at a glance, question by question,
over time, in numbers, side effects, logistics and a values exercise."""

from urllib.parse import urlencode

import streamlit as st

from explainer import chart_html as chart_html_lib
from explainer import charts, compare, consult, data_dir, option_grid, tables, ui
from explainer.settings import MAX_URL

dataset = ui.dataset()
names = ui.option_names()
drug_ids = ui.option_ids("drug")
TRIED_KEY = "consult_tried"  # the same control as on Prepare for your visit (persist_state="session")
WEIGHT_KEYS = {name: f"cmp_w_{name}" for name in compare.CRITERIA}
URL_KEYS = ("options", "pain", "nondrug", "other", "tried", "weights")
CHARTS = {"timeline": charts.timeline, "icon_arrays": charts.icon_arrays, "forest": charts.forest}
LINK_CHARS = 2000  # the share link: the address (up to MAX_URL) and a query of known ids and numbers


# Each view below depends only on the data folder and the selection, so it is built once per
# selection and shared, read-only, across reruns and visitors. Views whose HTML links to the
# Sources page are keyed by that page's address in this view (``sources_link``: the links carry
# the reading level and the embed view).
@ui.view_cache(max_entries=256)
def chart_view(
    kind: str,
    option_ids: tuple[str, ...],
    pain_type: str,
    show_other: bool,
    audience: str,
    tried: tuple[str, ...],
    sources_link: str,  # noqa: ARG001 - keys the cache
    folder: str,  # noqa: ARG001 - keys the cache
):
    """A chart, its data table's HTML (each source linked) and its CSV."""
    data = ui.dataset()
    marked = frozenset(compare.tried_option_ids(tried))
    if kind == "harms":
        chart = charts.harms(data, list(option_ids), pain_type, show_other, audience, marked)
    else:
        chart = CHARTS[kind](data, list(option_ids), pain_type, show_other, marked)
    table = tables.table_html(
        chart.table.rename(columns={"source_id": "Source"}), f"{LABELS[kind]}: data table", links={"Source": ui.source_href}
    )
    return chart, table


@ui.view_cache(max_entries=256)
def grid_view(
    option_ids: tuple[str, ...],
    pain_type: str,
    audience: str,
    tried: tuple[str, ...],
    show_other: bool,
    sources_link: str,  # noqa: ARG001 - keys the cache
    folder: str,  # noqa: ARG001 - keys the cache
):
    """The options-by-questions grid and the summary cards: their HTML, the grid's table and CSV, and sources."""
    grid = option_grid.question_grid(ui.dataset(), list(option_ids), pain_type, audience, compare.tried_option_ids(tried), show_other)
    links = ui.source_links()
    table = grid.table()
    return {
        "grid": option_grid.grid_html(grid, links),
        "cards": option_grid.summaries_html(ui.dataset(), grid, links, audience),
        "table": tables.table_html(table.rename(columns={"source_id": "Source"}), "The grid as a table", links={"Source": ui.source_href}),
        "csv": table.to_csv(index=False).encode("utf-8"),
        "sources": grid.sources,
    }


@ui.view_cache(max_entries=128)
def logistics_view(option_ids: tuple[str, ...], audience: str, folder: str) -> tuple[str, bytes, list[str]]:  # noqa: ARG001 - folder keys the cache
    """The logistics table as shown (escaped HTML), its CSV and its sources."""
    logistics = compare.logistics_table(ui.dataset(), list(option_ids), audience)
    sources = sorted({s for ids in logistics["source_id"] for s in ids.split("; ") if s})
    shown = tables.table_html(
        logistics.drop(columns=["source_id"]),
        "Where it happens and what is checked",
        line_breaks={compare.CHECKS_COLUMN: compare.CHECK_SEPARATOR},
    )
    return shown, logistics.to_csv(index=False).encode("utf-8"), sources


@ui.view_cache(max_entries=128)
def values_view(option_ids: tuple[str, ...], pain_type: str, weights: tuple[int, ...], folder: str) -> dict:  # noqa: ARG001 - folder keys the cache
    """Everything the values exercise shows for one set of weights: ranking, chart, tables, CSV."""
    scores = compare.criterion_scores(ui.dataset(), list(option_ids), pain_type)
    ranking = compare.weighted_ranking(scores, dict(zip(compare.CRITERIA, weights, strict=True)))
    shown_scores = scores.drop(columns=["option_id"]).rename(columns={"option": "Option", **compare.CRITERIA})
    shown_scores = shown_scores.astype(object).where(shown_scores.notna(), compare.CANT_SCORE)
    shown_ranking = ranking.drop(columns=["option_id"]).astype(object)
    shown_ranking = shown_ranking.where(shown_ranking.notna(), "—").rename(
        columns={
            "rank": "Rank",
            "option": "Option",
            "score": "Score",
            "based_on": "Criteria it rests on",
            "arithmetic": "Arithmetic",
            "unscored": "Can't be scored on (left out)",
        }
    )
    return {
        "ranking": ranking,
        "chart": charts.values_chart(ranking),
        "scores_html": tables.table_html(shown_scores, "Score for each question"),
        "ranking_html": tables.table_html(shown_ranking, "Weighted ranking", row_headers=False),
        "csv": ranking.to_csv(index=False).encode("utf-8"),
    }


LABELS = {
    "timeline": "How fast and how long",
    "icon_arrays": "Out of 100 people",
    "forest": "NNT and NNH",
    "harms": "Side effects by how serious and how common",
}


def seed_values() -> dict[str, object]:
    """Each control's value to fall back on: this visit's last choice, else a shared link, else defaults."""
    if "cmp_selection" in st.session_state:
        selection = st.session_state["cmp_selection"]
    elif any(key in st.query_params for key in URL_KEYS):
        params = {key: st.query_params.get_all(key) for key in URL_KEYS if key in st.query_params}
        selection, notices = compare.parse_selection(params, drug_ids + [o for o in names if o not in drug_ids])
        for message in notices:
            ui.notice(ui.safe_text(message))
    else:
        selection = compare.Selection()
    return {
        "cmp_options": [o for o in selection.options if o in drug_ids],
        "cmp_pain": selection.pain_type,
        "cmp_nondrug": selection.include_non_drug or any(o not in drug_ids for o in selection.options),
        "cmp_other": selection.show_other,
        TRIED_KEY: list(selection.tried),
        **{f"cmp_w_{name}": weight for name, weight in selection.weights.items()},
    }


def seeded(key: str, argument: str = "value", convert=lambda value: value) -> dict:
    """The widget argument that starts a control at its seed, only while it has no value of its own.

    A default argument, not a value written into session state: a value written there overrides
    what the browser sends, so the first click after a new session (a server restart, an expired
    session) was lost. Streamlit forgets a widget's value when a run does not draw it (the priority
    sliders while the exercise is closed), and such a control starts again from its seed.
    """
    return {} if key in st.session_state else {argument: convert(seeds[key])}


def current_selection() -> compare.Selection:
    """The controls' values; the priorities keep their last values while the sliders are not drawn."""
    return compare.Selection(
        options=tuple(st.session_state["cmp_options"]),
        pain_type=st.session_state["cmp_pain"],
        include_non_drug=st.session_state["cmp_nondrug"],
        weights={name: int(st.session_state.get(key, seeds[key])) for name, key in WEIGHT_KEYS.items()},
        tried=tuple(t for t in compare.TRIED_GROUPS if t in (st.session_state.get(TRIED_KEY) or [])),
        show_other=st.session_state["cmp_other"],
    )


def write_url(selection: compare.Selection) -> None:
    st.session_state["cmp_selection"] = selection
    wanted = compare.to_params(selection)
    for key in URL_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def chart_block(kind: str, selection: compare.Selection, chosen: list[str], key: str, filename: str) -> None:
    """Drawing, summary, table, sources and CSV: the same five parts for every chart."""
    chart, table = chart_view(
        kind,
        tuple(chosen),
        selection.pain_type,
        selection.show_other,
        ui.audience(),
        selection.tried,
        ui.page_href("sources"),
        str(data_dir()),
    )
    ui.prepared_html(chart.html)
    ui.text(ui.safe_text(chart.summary))
    with st.expander("Data table for this chart"):
        ui.prepared_table(table)
    columns = st.columns([1, 2])
    ui.csv_download(chart.csv, "Download the data (CSV)", filename, key=f"{key}_csv", container=columns[0])
    with columns[1]:
        if chart.sources:
            ui.cite(chart.sources)


st.title("Compare options")
ui.chart_style()
ui.prepared_html(option_grid.CSS + chart_html_lib.HARM_CSS)
intro = ui.show_section("compare/intro", heading=False)
seeds = seed_values()

st.header("Choose what to compare")
# Pills rather than a multiselect: each option is a button that Tab reaches and Space toggles.
st.pills(
    "Medicines to compare",
    drug_ids,
    selection_mode="multi",
    format_func=names.get,
    key="cmp_options",
    **seeded("cmp_options", "default"),
    help="The usual set is ketamine drips, strong opioids, NSAIDs, gabapentin, pregabalin, duloxetine and amitriptyline.",
)
st.button(
    "Clear the list",
    key="cmp_clear",
    on_click=lambda: st.session_state.update(cmp_options=[]),
    help="Empty the list so you can pick just the options you want (easier with a keyboard).",
)
st.radio(
    "Kind of pain",
    compare.PAIN_TYPES,
    format_func=compare.PAIN_LABELS.get,
    key="cmp_pain",
    **seeded("cmp_pain", "index", compare.PAIN_TYPES.index),
    horizontal=True,
    help="Results are shown only for the kind of pain they were measured in. CRPS is its own choice: it is not counted as nerve pain.",
)
st.pills(
    "What have you already tried?",
    list(consult.TRIED),
    selection_mode="multi",
    format_func=consult.TRIED.get,
    key=TRIED_KEY,
    **seeded(TRIED_KEY, "default"),
    persist_state="session",
    help="Marked in every view below, and used for your questions on Prepare for your visit.",
)
left, right = st.columns(2)
left.toggle("Add non-drug options", key="cmp_nondrug", **seeded("cmp_nondrug"), help="Talking therapies, exercise and pain procedures.")
right.toggle(
    "Show results from other kinds of pain",
    key="cmp_other",
    **seeded("cmp_other"),
    help="Off: only results measured in your kind of pain. On: results from other kinds of pain are added, each marked with the pain it was measured in.",
)

selection = current_selection()
write_url(selection)
chosen = selection.option_ids(dataset)
pain_words = compare.pain_words(selection.pain_type)

if not chosen:
    st.info("Choose at least one option above to see the comparison.", icon=":material/info:")
else:
    if selection.show_other:
        ui.notice(
            f"Results from other kinds of pain are shown too, each marked with the pain it was measured in. They may not hold for {pain_words}, "
            "and the values exercise never uses them."
        )
    else:
        st.caption(f"Showing only results measured in {pain_words}, or not tied to one kind of pain (such as drug labels).")
    view = grid_view(
        tuple(chosen), selection.pain_type, ui.audience(), selection.tried, selection.show_other, ui.page_href("sources"), str(data_dir())
    )

    st.header("At a glance")
    ui.text(f"One card per option for {pain_words}: what it may do, how long, its main risks and how sure the studies are.")
    ui.prepared_html(view["cards"])

    st.header("Side by side")
    ui.text("Each column is one option, answering the same questions. On a phone, swipe the table sideways; the questions stay in view.")
    ui.prepared_html(view["grid"])
    with st.expander("The grid as a table"):
        ui.prepared_table(view["table"])
    ui.csv_download(view["csv"], "Download the grid (CSV)", "options-grid", key="cmp_grid_csv")

    st.header("How fast, and how long")
    ui.text(
        "Each row is one option. The marks show ranges: how long until relief starts, how long a fair trial takes, how long benefit "
        "was shown while on it and after a course ends, and, separately, how long one dose lasts. A fading arrow means only the far "
        "end is known. Each mark names the pain it was measured in."
    )
    chart_block("timeline", selection, chosen, "cmp_timeline", "onset-durability")

    st.header("How many people it helps, and how many stop")
    if ui.is_trainee():
        chart_block("forest", selection, chosen, "cmp_forest", "nnt-nnh")
        st.caption("NNH here counts people who dropped out because of adverse events; named side effects are in the next section.")
    else:
        ui.text(
            "Each grid is 100 people like those in the studies. Filled marks are the **extra** people who were helped, "
            "or who stopped because of side effects, compared with a dummy pill (placebo). The text gives the range the true number could fall in."
        )
        chart_block("icon_arrays", selection, chosen, "cmp_icons", "out-of-100")

    st.header("Side effects: how serious, how common")
    ui.text(
        "Most serious first. Each chip says how often the side effect happens, like the bands on NHS medicine pages; "
        "its colour is darker for more common effects. A dashed chip means our sources give no rate."
    )
    chart_block("harms", selection, chosen, "cmp_effects", "side-effects")

    st.header("Where it happens and what is checked")
    logistics, logistics_csv, logistics_sources = logistics_view(tuple(chosen), ui.audience(), str(data_dir()))
    ui.prepared_table(logistics)
    ui.csv_download(logistics_csv, "Download this table (CSV)", "logistics", key="cmp_logistics_csv")
    ui.cite(logistics_sources)

    # The exercise opens on demand: its sliders, chart and tables are drawn (and their code run)
    # only once a visitor asks, which keeps a first visit to this long page quick
    # (benchmarks/README.md). A link or visit that already set priorities opens it.
    if "cmp_values_open" not in st.session_state:
        st.session_state["cmp_values_open"] = "weights" in compare.to_params(selection) or "visit_values" in st.session_state

    @st.fragment
    def values_section() -> None:
        ui.show_section("compare/values", level=2)
        exercise = st.expander("Weigh the options by what matters to you", key="cmp_values_open", on_change="rerun", icon=":material/tune:")
        if not exercise.open:
            return
        with exercise:
            values_exercise()

    def values_exercise() -> None:
        columns = st.columns(len(compare.CRITERIA))
        for column, (name, label) in zip(columns, compare.CRITERIA.items(), strict=True):
            column.slider(label, 0, compare.MAX_WEIGHT, key=WEIGHT_KEYS[name], **seeded(WEIGHT_KEYS[name]))
        current = current_selection()
        write_url(current)
        values = values_view(tuple(chosen), current.pain_type, tuple(current.weights[n] for n in compare.CRITERIA), str(data_dir()))
        ranking, chart = values["ranking"], values["chart"]
        if ranking.empty:
            st.info(chart.summary, icon=":material/info:")
            return
        ui.prepared_html(chart.html)
        ui.text(ui.safe_text(chart.summary))
        with st.expander("The arithmetic behind this"):
            ui.show_section("compare/arithmetic", heading=False)
            ui.prepared_table(values["scores_html"])
            ui.prepared_table(values["ranking_html"])
        ui.csv_download(values["csv"], "Download the scores (CSV)", "priorities", key="cmp_values_csv")
        if st.button("Add this to my visit summary", icon=":material/note_add:", key="cmp_add_values"):
            st.session_state["visit_values"] = compare.values_summary(ranking, current.weights)
        if "visit_values" in st.session_state:
            st.success("Your priorities are in your visit summary.", icon=":material/check:")
            ui.page_link("consult", label="Open Prepare for your visit", icon=":material/checklist:")

    values_section()

st.header("Share this comparison")
query = urlencode({**compare.to_params(selection), **({"audience": ui.audience()} if ui.is_trainee() else {})})
ui.text(
    "The address in your browser now holds your choices: the kind of pain, the options, what you have tried and your priorities. Copy it to share this exact view, or copy this link."
)
base = (st.context.url or "compare").split("?")[0]
if len(base) > MAX_URL:  # the browser reports its address; a crafted connection could send anything
    base = "compare"
# A text box rather than st.code: the code block pulls a 1.5 MB syntax highlighter into the page.
st.text_input(
    "Link to this comparison", value=f"{base}{'?' + query if query else ''}", help="Select the text and copy it.", max_chars=LINK_CHARS
)
ui.review_caption(intro)
