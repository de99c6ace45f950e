"""How they work: where each medicine acts, the 'volume knob' of central sensitization, mechanism
cards side by side, opioid tolerance and hyperalgesia, and what is known about mood, sleep and function."""

from pathlib import Path

import streamlit as st

from explainer import data_dir, tables, ui
from explainer import evidence as evidence_lib
from explainer import mechanisms as mechanisms_lib

OPTION_KEY = "mech_option"
NOTICE_KEY = "mech_option_notice"
SEED_KEY = "mech_option_seed"  # the choice a shared link made, the selectbox's starting point


@ui.view_cache()
def load_mechanisms(folder: str, _dataset: evidence_lib.Dataset):
    return mechanisms_lib.load_mechanisms(Path(folder), _dataset)


# The views below are pure functions of the data and the choice; build each once and share it
# read-only (cache_resource), so a rerun only draws.
@ui.view_cache(max_entries=256)
def pathway_view(folder: str, chosen, audience: str):
    dataset = ui.dataset()
    return mechanisms_lib.pathway_view(dataset, load_mechanisms(folder, dataset), chosen, audience)


@ui.view_cache(max_entries=64)
def mechanism_cards(folder: str, audience: str):
    dataset = ui.dataset()
    return mechanisms_lib.mechanism_cards(dataset, load_mechanisms(folder, dataset), audience)


@ui.view_cache(max_entries=64)
def cards_table(folder: str, audience: str) -> tuple[str, bytes]:
    """The cards as one table: its HTML and CSV."""
    table = mechanisms_lib.cards_table(mechanism_cards(folder, audience))
    return tables.table_html(table, "The mechanism cards as a table"), table.to_csv(index=False).encode("utf-8")


@ui.view_cache(max_entries=256)
def pathway_table(folder: str, chosen, audience: str) -> tuple[str, bytes]:
    """The diagram as a table: its HTML and CSV."""
    table = pathway_view(folder, chosen, audience).table
    return tables.table_html(table, "The diagram as a table"), table.to_csv(index=False).encode("utf-8")


@ui.view_cache()
def selectable_options(folder: str) -> list[str]:
    dataset = ui.dataset()
    return mechanisms_lib.selectable_options(dataset, load_mechanisms(folder, dataset))


@ui.view_cache(max_entries=256)
def knob_view(stimuli: int, strength: int, blocked: bool):
    """The volume-knob model for one setting: its table, chart (HTML), summary and CSV."""
    frame = mechanisms_lib.windup_model(stimuli, strength)
    chart, summary = mechanisms_lib.windup_view(frame, blocked)
    shown = frame if blocked else frame.drop(columns=["Response with NMDA blockade"])
    return tables.table_html(shown, "The model's numbers", row_headers=False), chart, summary, shown.to_csv(index=False).encode("utf-8")


@ui.view_cache(max_entries=256)
def option_label(folder: str, option_id: str) -> str:  # noqa: ARG001 - folder keys the cache
    return mechanisms_lib.option_label(ui.dataset(), option_id)


# Glossary entries for words used on this page (anchors written out so the glossary test sees them).
PAGE_TERMS = (
    ("NMDA receptor", "term-nmda-receptor"),
    ("glutamate", "term-glutamate"),
    ("central sensitization", "term-central-sensitization"),
    ("wind-up", "term-wind-up"),
    ("dorsal horn", "term-dorsal-horn"),
    ("descending inhibition", "term-descending-inhibition"),
    ("prostaglandins", "term-prostaglandins"),
    ("alpha-2-delta subunit", "term-alpha-2-delta-subunit"),
    ("mu-opioid receptor", "term-mu-opioid-receptor"),
    ("tolerance", "term-tolerance"),
    ("opioid-induced hyperalgesia", "term-opioid-induced-hyperalgesia"),
    ("dissociation", "term-dissociation"),
    ("CRPS", "term-crps"),
)
SENSITIZATION_TERMS = (
    ("central sensitization", "term-central-sensitization"),
    ("wind-up", "term-wind-up"),
    ("dorsal horn", "term-dorsal-horn"),
    ("NMDA receptor", "term-nmda-receptor"),
)
TOLERANCE_TERMS = (
    ("tolerance", "term-tolerance"),
    ("opioid-induced hyperalgesia", "term-opioid-induced-hyperalgesia"),
    ("NMDA receptor", "term-nmda-receptor"),
)


def glossary_line(lead: str, terms: tuple[tuple[str, str], ...]) -> None:
    links = (f"[{label}]({ui.page_href('glossary', anchor=anchor)})" for label, anchor in terms)
    ui.text(f"{lead} " + " · ".join(links))


def sync_option_to_url() -> None:
    """Mirror the chosen option in ?option= so the view can be shared."""
    st.session_state[NOTICE_KEY] = None
    chosen = st.session_state.get(OPTION_KEY)
    if chosen:
        st.query_params["option"] = chosen
    else:
        st.query_params.pop("option", None)


st.title("How they work")
ui.text(
    "Where each pain medicine acts, why ketamine works on a different system from the others, "
    "and why a clever mechanism does not promise lasting relief."
)
intro = ui.show_section("mechanisms/intro")
glossary_line("Words on this page, explained in the Glossary:", PAGE_TERMS)

dataset = ui.dataset()
try:
    mechanisms = load_mechanisms(str(data_dir()), dataset)
except evidence_lib.DataError as error:
    mechanisms = None
    st.error(
        f"The diagram and mechanism cards cannot be shown because a data file needs fixing.\n\n{ui.safe_text(str(error))}",
        icon=":material/error:",
    )

if mechanisms is not None:
    option_ids = selectable_options(str(data_dir()))
    if OPTION_KEY not in st.session_state and SEED_KEY not in st.session_state:
        # The link's choice becomes the selectbox's starting index, not a value written into its
        # key: a value written there overrides what the browser sends, which lost the first choice
        # made after a new session (a server restart, an expired session).
        chosen, message = mechanisms_lib.parse_option(st.query_params.get("option"), option_ids)
        st.session_state[SEED_KEY] = chosen
        if chosen:
            st.query_params["option"] = chosen  # the option's own id, for an alias in the link
        else:
            st.query_params.pop("option", None)
        st.session_state[NOTICE_KEY] = message

    st.header("The pain pathway")

    @st.fragment
    def pathway_section() -> None:
        if st.session_state.get(NOTICE_KEY):
            ui.notice(st.session_state[NOTICE_KEY])
        chosen = st.selectbox(
            "Choose a medicine to see where it acts",
            option_ids,
            format_func=lambda option_id: option_label(str(data_dir()), option_id),
            placeholder="No medicine chosen",
            key=OPTION_KEY,
            **(
                {}
                if OPTION_KEY in st.session_state
                else {"index": option_ids.index(seed) if (seed := st.session_state.get(SEED_KEY)) else None}
            ),
            on_change=sync_option_to_url,
            help="The diagram then marks where it acts. Click, tap or press Enter on any site in the diagram to read what happens there.",
        )
        view = pathway_view(str(data_dir()), chosen, ui.audience())
        ui.text(ui.safe_text(view.summary))
        # HTML (explainer/pathway_diagram.py): each site opens its card in place, so no Plotly and no rerun.
        ui.prepared_html(view.diagram)
        st.caption(
            "Illustrative diagram of the pain pathway, not an anatomical drawing. Sites where the chosen "
            "medicine acts are drawn larger, as stars, and labelled 'acts here'. Select a site to read more."
        )
        with st.expander("The diagram as a table"):
            table, csv = pathway_table(str(data_dir()), chosen, ui.audience())
            ui.prepared_table(table)
            ui.csv_download(csv, "Download this table (CSV)", "pain-pathway", key="mech_pathway_csv")
        ui.cite(view.sources)

    pathway_section()

ui.show_section("mechanisms/sensitization")
glossary_line("In the Glossary:", SENSITIZATION_TERMS)

if mechanisms is not None:
    st.subheader("Try the volume knob (illustrative model)")

    @st.fragment
    def volume_knob() -> None:
        left, right = st.columns(2)
        low, high = mechanisms_lib.STIMULI_RANGE
        stimuli = left.slider("Number of repeated painful inputs", low, high, 8, key="mech_stimuli")
        low, high = mechanisms_lib.STRENGTH_RANGE
        strength = right.slider("Size of each input (made-up units)", low, high, 5, key="mech_strength")
        blocked = st.toggle("Switch on the NMDA blocker (as ketamine does)", value=True, key="mech_block")
        shown, chart, summary, csv = knob_view(stimuli, strength, blocked)
        ui.text(ui.safe_text(summary))
        ui.prepared_html(chart)  # HTML and SVG (explainer/line_charts.py): no interaction, so no Plotly
        st.caption(
            "Illustrative: a schematic model with made-up numbers, not measurements from people. It shows the "
            "direction of the effect (repeated input turns the response up; NMDA blockade damps that), not its size."
        )
        with st.expander("What the model assumes"):
            assumptions = mechanisms_lib.MODEL_ASSUMPTIONS_TRAINEE if ui.is_trainee() else mechanisms_lib.MODEL_ASSUMPTIONS_PATIENT
            ui.text("\n".join(f"- {ui.safe_text(item)}" for item in assumptions))
        with st.expander("The model's numbers as a table"):
            ui.prepared_table(shown)
            ui.csv_download(csv, "Download these numbers (CSV)", "volume-knob-model", key="mech_knob_csv")
        ui.cite(mechanisms_lib.MODEL_SOURCES, label="Physiology source")

    volume_knob()

    st.header("Side by side: how each medicine works")
    ui.text(
        "The same questions for each medicine: what it acts on, where, how fast it starts, whether the body "
        "gets used to it, and its main side effects."
    )
    # The cards are one block of HTML (mechanisms.cards_html escapes every piece of data text): one
    # element for the grid instead of five per card, which the browser draws much faster.
    ui.prepared_html(mechanisms_lib.cards_html(mechanism_cards(str(data_dir()), ui.audience()), ui.source_links()))
    with st.expander("All the cards as one table"):
        table, csv = cards_table(str(data_dir()), ui.audience())
        ui.prepared_table(table)
        ui.csv_download(csv, "Download this table (CSV)", "mechanisms", key="mech_cards_csv")

ui.show_section("mechanisms/tolerance")
glossary_line("In the Glossary:", TOLERANCE_TERMS)
ui.show_section("mechanisms/daily_life")
ui.review_caption(intro)
