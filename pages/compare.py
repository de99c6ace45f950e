"""Compare: onset, durability, benefit, harm, logistics and values, side by side."""

from urllib.parse import urlencode

import streamlit as st

from explainer import charts, compare, data_dir, tables, ui
from explainer.settings import MAX_URL

dataset = ui.dataset()
names = ui.option_names()
drug_ids = ui.option_ids("drug")
CHOICE_KEYS = ("cmp_options", "cmp_pain", "cmp_nondrug")
WEIGHT_KEYS = {name: f"cmp_w_{name}" for name in compare.CRITERIA}
URL_KEYS = ("options", "pain", "nondrug", "weights")
LINK_CHARS = 2000  # the share link: the address (up to MAX_URL) and a query of known ids and numbers


# Building the figures is the slow part of this page; each depends only on the data folder and the
# selection, so it is built once per selection and shared, read-only, across reruns and visitors
# (cache_resource: no copy per run, which for Plotly figures costs as much as building them).
@ui.view_cache(max_entries=128)
def build(kind: str, option_ids: tuple[str, ...], pain_type: str, folder: str):  # noqa: ARG001 - folder keys the cache
    data = ui.dataset()
    if kind == "timecourse_rows":
        return compare.timecourse_rows(data, list(option_ids), pain_type)
    if kind == "criterion_scores":
        return compare.criterion_scores(data, list(option_ids), pain_type)
    if kind == "side_effect_matrix":
        return charts.side_effect_matrix(data, list(option_ids))
    if kind.startswith("logistics_"):
        return compare.logistics_table(data, list(option_ids), kind.removeprefix("logistics_"))
    return getattr(charts, kind)(data, list(option_ids), pain_type)


@ui.view_cache(max_entries=128)
def logistics_view(option_ids: tuple[str, ...], audience: str, folder: str) -> tuple[str, bytes, list[str]]:
    """The logistics table as shown (escaped HTML), its CSV and its sources."""
    logistics = build(f"logistics_{audience}", option_ids, "", folder)
    sources = sorted({s for ids in logistics["source_id"] for s in ids.split("; ") if s})
    shown = tables.table_html(
        logistics.drop(columns=["source_id"]),
        "Where it happens and what is checked",
        line_breaks={compare.CHECKS_COLUMN: compare.CHECK_SEPARATOR},
    )
    return shown, logistics.to_csv(index=False).encode("utf-8"), sources


@ui.view_cache(max_entries=128)
def values_view(option_ids: tuple[str, ...], pain_type: str, weights: tuple[int, ...], folder: str) -> dict:
    """Everything the values exercise shows for one set of weights: ranking, chart, tables, CSV."""
    scores = build("criterion_scores", option_ids, pain_type, folder)
    ranking = compare.weighted_ranking(scores, dict(zip(compare.CRITERIA, weights, strict=True)))
    view = {
        "ranking": ranking,
        "chart": charts.values_chart(ranking),
        "scores_shown": scores.drop(columns=["option_id"]).rename(columns={"option": "Option", **compare.CRITERIA}),
        "ranking_shown": ranking.drop(columns=["option_id"]).rename(
            columns={
                "rank": "Rank",
                "option": "Option",
                "score": "Score",
                "arithmetic": "Arithmetic",
                "unknown": "Not in the sources (counted as 0)",
            }
        ),
        "csv": ranking.to_csv(index=False).encode("utf-8"),
    }
    view["scores_html"] = tables.table_html(view["scores_shown"], "Score for each question")
    view["ranking_html"] = tables.table_html(view["ranking_shown"], "Weighted ranking", row_headers=False)
    return view


@ui.view_cache(max_entries=256)
def chart_html(
    kind: str,
    option_ids: tuple[str, ...],
    pain_type: str,
    label: str,
    sources_link: str,  # noqa: ARG001 - keys the cache
    folder: str,
) -> tuple[str | None, str]:
    """A chart's drawing as HTML (None when it is a Plotly figure) and its data table's HTML, made once per view.

    In the data table each row's source ids link to their entries on the Sources page; ``sources_link``
    (that page's address in this view) keys the cache, since the links carry the view.
    """
    chart = build(kind, option_ids, pain_type, folder)
    drawing = charts.grid_html(chart, label) if chart.grid is not None else chart.html
    table = tables.table_html(
        chart.table.rename(columns={"source_id": "Source"}),
        f"{label}: data table",
        links={"Source": ui.source_href},
    )
    return drawing, table


def built(kind: str, option_ids: list[str], pain_type: str = ""):
    return build(kind, tuple(option_ids), pain_type, str(data_dir()))


def seed_values() -> dict[str, object]:
    """Each control's value to fall back on: this visit's last choice, else a shared link, else defaults."""
    if "cmp_selection" in st.session_state:
        selection = st.session_state["cmp_selection"]
    elif any(key in st.query_params for key in URL_KEYS):
        params = {key: st.query_params.get_all(key) for key in URL_KEYS if key in st.query_params}
        selection, notices = compare.parse_selection(params, drug_ids + [o for o in names if o not in drug_ids])
        for message in notices:
            ui.notice(message)  # Markdown: any value from the link in it is already quoted (explainer.quoting)
    else:
        selection = compare.Selection()
    return {
        "cmp_options": [o for o in selection.options if o in drug_ids],
        "cmp_pain": selection.pain_type,
        "cmp_nondrug": selection.include_non_drug or any(o not in drug_ids for o in selection.options),
        **{f"cmp_w_{name}": weight for name, weight in selection.weights.items()},
    }


def seed_widgets(keys: tuple[str, ...]) -> None:
    """Fill any of these controls that has no value yet (from ``seeds``), just before they are drawn.

    Streamlit forgets a widget's value when a run does not draw it (the priority sliders are not
    drawn while the exercise is closed or no option is chosen), so each missing key is refilled on
    its own. A key is only filled in a run that draws its widget: a value set for a widget that is
    not drawn outlives the widget's own value and would come back later in its place.
    """
    for key in keys:
        if key not in st.session_state:
            st.session_state[key] = seeds[key]


def current_selection() -> compare.Selection:
    """The controls' values; the priorities keep their last values while the sliders are not drawn."""
    return compare.Selection(
        options=tuple(st.session_state["cmp_options"]),
        pain_type=st.session_state["cmp_pain"],
        include_non_drug=st.session_state["cmp_nondrug"],
        weights={name: int(st.session_state.get(key, seeds[key])) for name, key in WEIGHT_KEYS.items()},
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


def chart_block(kind: str, option_ids: list[str], pain_type: str, key: str, filename: str, label: str) -> None:
    """Figure, summary, table, sources and CSV: the same five parts for every chart.

    ``label`` names the chart for screen readers (the region of a chart drawn as a coloured table,
    and the data table under every chart).
    """
    chart = built(kind, option_ids, pain_type)
    drawing, table = chart_html(kind, tuple(option_ids), pain_type, label, ui.page_href("sources"), str(data_dir()))
    if drawing is None:
        st.plotly_chart(chart.figure, key=key, config={"displayModeBar": False, "responsive": True}, width="stretch")
    else:
        ui.prepared_html(drawing)
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
intro = ui.show_section("compare/intro", heading=False)
seeds = seed_values()
seed_widgets(CHOICE_KEYS)

st.header("Choose what to compare")
# Pills rather than a multiselect: each option is a button that Tab reaches and Space toggles.
st.pills(
    "Medicines to compare",
    drug_ids,
    selection_mode="multi",
    format_func=names.get,
    key="cmp_options",
    help="The usual set is ketamine drips, strong opioids, NSAIDs, gabapentin, pregabalin, duloxetine and amitriptyline.",
)
st.button(
    "Clear the list",
    key="cmp_clear",
    on_click=lambda: st.session_state.update(cmp_options=[]),
    help="Empty the list so you can pick just the options you want (easier with a keyboard).",
)
left, right = st.columns([3, 2])
left.radio("Kind of pain", compare.PAIN_TYPES, format_func=compare.PAIN_LABELS.get, key="cmp_pain", horizontal=True)
right.toggle("Add non-drug options", key="cmp_nondrug", help="Talking therapies, exercise and pain procedures.")

selection = current_selection()
write_url(selection)
chosen = selection.option_ids(dataset)

if not chosen:
    st.info("Choose at least one option above to see the comparison.", icon=":material/info:")
else:
    rows = built("timecourse_rows", chosen, selection.pain_type)
    established = rows[rows["status"] == "established"]
    if selection.pain_type != "neuropathic":
        other = int((~established["direct"]).sum())
        st.info(
            f"Most studies behind these figures are about nerve pain. For {compare.PAIN_LABELS[selection.pain_type].lower()}, "
            f"{other} of the {len(established)} timing figures come from studies of another kind of pain; they are drawn "
            "with dotted lines and named in the table. Benefit numbers come from nerve-pain studies unless the table says otherwise.",
            icon=":material/info:",
        )

    st.header("How fast, and how long")
    ui.text(
        "Each row is one option. The marks show ranges: how long until relief starts, how long a fair trial takes, "
        "and how long benefit has been shown to last while on it and after stopping. Missing marks mean the sources give no figure."
    )
    chart_block("timeline", chosen, selection.pain_type, "cmp_timeline", "onset-durability", "How fast and how long")

    st.header("How many people it helps, and how many stop")
    if ui.is_trainee():
        chart_block("forest", chosen, selection.pain_type, "cmp_forest", "nnt-nnh", "NNT and NNH")
        st.caption("NNH here counts people who dropped out because of adverse events; named side effects are in the next chart.")
    else:
        ui.text(
            "Each grid is 100 people like those in the studies. Filled marks are the **extra** people who were helped, "
            "or who stopped because of side effects, compared with a dummy pill (placebo). The text under the grids gives the range the true number could fall in."
        )
        chart_block("icon_arrays", chosen, selection.pain_type, "cmp_icons", "out-of-100", "Out of 100 people")

    st.header("Side effects")
    ui.text(
        "Darker boxes mean more people had that kind of side effect. Each box also gives the number, and ⚠ marks a serious harm, "
        "so the colour is never the only clue."
    )
    chart_block("side_effect_matrix", chosen, "", "cmp_effects", "side-effects", "Side effects by option and group")

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
        seed_widgets(tuple(WEIGHT_KEYS.values()))
        columns = st.columns(len(compare.CRITERIA))
        for column, (name, label) in zip(columns, compare.CRITERIA.items(), strict=True):
            column.slider(label, 0, compare.MAX_WEIGHT, key=WEIGHT_KEYS[name])
        current = current_selection()
        write_url(current)
        view = values_view(tuple(chosen), current.pain_type, tuple(current.weights[n] for n in compare.CRITERIA), str(data_dir()))
        ranking, chart = view["ranking"], view["chart"]
        if ranking.empty:
            st.info(chart.summary, icon=":material/info:")
            return
        st.plotly_chart(chart.figure, key="cmp_values", config={"displayModeBar": False}, width="stretch")
        ui.text(ui.safe_text(chart.summary))
        with st.expander("The arithmetic behind this"):
            ui.text(
                "Each option gets a score from 0 to 1 on each question, taken from the data: "
                "**fast relief** from the slower end of the time to first relief (1 for within an hour down to 0 for three months, on a log scale); "
                "**lasting relief** from the longest benefit shown (0 for a day up to 1 for a year); "
                "**fewer serious side effects** is 1 minus 0.25 "
                "for each kind of serious harm listed; **less clinic time** is 0 for a hospital or infusion clinic, 0.5 for other clinic or therapy visits and 1 at home; "
                "**stronger evidence** is 1 for high certainty down to 0.25 for very low. A score the sources cannot give counts as 0 (not credited) "
                "and is named in the last column. The total is the weighted average."
            )
            ui.prepared_table(view["scores_html"])
            ui.prepared_table(view["ranking_html"])
        ui.csv_download(view["csv"], "Download the scores (CSV)", "priorities", key="cmp_values_csv")
        if st.button("Add this to my visit summary", icon=":material/note_add:", key="cmp_add_values"):
            st.session_state["visit_values"] = compare.values_summary(ranking, current.weights)
        if "visit_values" in st.session_state:
            st.success("Your priorities are in your visit summary.", icon=":material/check:")
            ui.page_link("consult", label="Open Prepare for your visit", icon=":material/checklist:")

    values_section()

st.header("Share this comparison")
query = urlencode({**compare.to_params(selection), **({"audience": ui.audience()} if ui.is_trainee() else {})})
ui.text("The address in your browser now holds your choices. Copy it to share this exact view, or copy this link.")
base = (st.context.url or "compare").split("?")[0]
if len(base) > MAX_URL:  # the browser reports its address; a crafted connection could send anything
    base = "compare"
# A text box rather than st.code: the code block pulls a 1.5 MB syntax highlighter into the page.
st.text_input(
    "Link to this comparison", value=f"{base}{'?' + query if query else ''}", help="Select the text and copy it.", max_chars=LINK_CHARS
)
ui.review_caption(intro)
