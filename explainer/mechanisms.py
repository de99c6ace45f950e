"""How the medicines work: the pain-pathway diagram, the 'volume knob' model and mechanism cards.

Everything here is a plain function of the validated data (``data/options.csv``,
``data/mechanisms.csv``, ``data/timecourse.csv``) so the page stays thin and the pictures are
unit-tested. Two different kinds of picture live here and must never be confused:

* the **pathway diagram** is drawn from data: which sites light up for an option comes from
  ``mechanisms.csv`` (checked against the ``site`` column of ``options.csv``);
* the **volume-knob model** is a schematic with made-up units. It shows the *shape* of wind-up
  (a response that grows with repeated input) and how blocking NMDA receptors damps it. Its
  numbers are not measurements and the page labels it "Illustrative".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from explainer import evidence, line_charts, pathway_diagram
from explainer.evidence import DataError, Dataset, TableSpec

# --- the pain pathway -------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One station of the pain pathway as drawn in the diagram."""

    id: str
    label: str  # short label drawn on the diagram
    plain: str  # the name used in sentences
    x: float
    y: float
    role_patient: str
    role_trainee: str


SITES: tuple[Site, ...] = (
    Site(
        "tissue",
        "Tissue and<br>nerve endings",
        "the hurt tissue and its nerve endings",
        0.0,
        1.0,
        "Nerve endings in skin, joints and other tissue pick up harm and start a pain signal.",
        "Nociceptor terminals detect noxious stimuli; prostaglandins made in inflamed tissue add to pain and swelling.",
    ),
    Site(
        "nerve",
        "Peripheral<br>nerve",
        "the nerve",
        1.0,
        1.0,
        "The signal runs along a nerve to the spinal cord.",
        "Primary afferent fibres carry action potentials to the dorsal horn.",
    ),
    Site(
        "dorsal_horn",
        "Spinal cord<br>(dorsal horn)",
        "the spinal cord (dorsal horn)",
        2.0,
        1.0,
        "In the spinal cord the signal is passed on. Here it can be turned up or down, like a volume knob.",
        "First central synapse: glutamate release onto dorsal-horn neurons; site of wind-up and central sensitization.",
    ),
    Site(
        "brain",
        "Brain",
        "the brain",
        3.0,
        1.0,
        "The brain makes sense of the signal and we feel pain.",
        "Supraspinal processing of nociceptive input into the experience of pain.",
    ),
    Site(
        "descending",
        "Descending control<br>(brain to spinal cord)",
        "the pain brakes that run from the brain down to the spinal cord",
        2.5,
        0.4,
        "The brain also sends signals back down to the spinal cord. These can work as brakes on pain.",
        "Descending monoaminergic (noradrenergic and serotonergic) pathways modulate dorsal-horn transmission.",
    ),
)
SITES_BY_ID = {site.id: site for site in SITES}
SITE_IDS = tuple(site.id for site in SITES)
# Sources for the general picture of the pathway (central amplification; descending inhibition).
PATHWAY_SOURCES = ("woolf2011", "obata2017", "esafe_nsaid")

# options.csv names sites in plain words; the diagram has one node for each.
OPTION_SITE_TO_NODE = {"tissue": "tissue", "nerve": "nerve", "spinal cord": "dorsal_horn", "brain": "brain"}

# The classes this page explains, in the order the selector and the cards show them.
FAMILY_LABELS = {
    "nmda": "NMDA blocker",
    "opioid": "Opioid",
    "nsaid": "Anti-inflammatory (NSAID)",
    "gabapentinoid": "Gabapentinoid",
    "sodium_channel": "Sodium-channel blocker",
    "antidepressant": "Antidepressant (SNRI or TCA)",
}

# Friendly names accepted in ?option=... besides the option ids themselves.
OPTION_ALIASES = {
    "ketamine": "ketamine_iv",
    "nmda": "ketamine_iv",
    "opioid": "strong_opioids",
    "opioids": "strong_opioids",
    "nsaid": "nsaids",
    "gabapentinoid": "gabapentin",
    "gabapentinoids": "gabapentin",
    "carbamazepine": "sodium_channel",
    "oxcarbazepine": "sodium_channel",
    "duloxetine": "snri",
    "amitriptyline": "tca",
}


def _sites_rule(value: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in value.split(";") if part.strip())
    if not parts:
        raise ValueError(f"must list at least one site, separated by ';' (one of {', '.join(SITE_IDS)})")
    unknown = [part for part in parts if part not in SITES_BY_ID]
    if unknown:
        raise ValueError(f"has unknown site {unknown[0]!r} (allowed: {', '.join(SITE_IDS)})")
    if len(set(parts)) != len(parts):
        raise ValueError("lists the same site twice")
    return parts


MECHANISMS = TableSpec(
    "mechanisms.csv",
    {
        "option_id": evidence.slug,
        "sites": _sites_rule,
        "target_patient": evidence.text,
        "target_trainee": evidence.text,
        "caption_patient": evidence.text,
        "caption_trainee": evidence.text,
        "source_id": evidence.slug,
        "effects_patient": evidence.text,
        "effects_trainee": evidence.text,
        "effects_source_id": evidence.slug,
    },
    key=("option_id",),
    source_columns=("source_id", "effects_source_id"),
    option_column="option_id",
)


def option_nodes(site_text: str) -> set[str]:
    """Diagram nodes named by an options.csv ``site`` cell ('spinal cord; brain')."""
    return {OPTION_SITE_TO_NODE[s.strip()] for s in site_text.split(";") if s.strip() in OPTION_SITE_TO_NODE}


def load_mechanisms(data_dir: Path, dataset: Dataset) -> pd.DataFrame:
    """Load ``mechanisms.csv`` and check it against the references and ``options.csv``.

    Besides the cell rules, every row must name a known option and source, and its sites must
    agree with the option's ``site`` column (the diagram adds only 'descending', which
    options.csv folds into 'spinal cord; brain').
    """
    path = data_dir / MECHANISMS.filename
    frame = evidence.load_table(path, MECHANISMS)
    evidence.check_links(path, frame, MECHANISMS, set(dataset.reference_ids), set(dataset.option_ids))
    for record in frame.to_dict("records"):
        expected = option_nodes(dataset.option(record["option_id"])["site"])
        drawn = set(record["sites"]) - {"descending"}
        if drawn != expected:
            raise DataError(
                path,
                record["_row"],
                "sites",
                f"sites {sorted(drawn)} do not match options.csv site for {record['option_id']!r} ({sorted(expected)})",
            )
    return frame


def selectable_options(dataset: Dataset, mechanisms: pd.DataFrame) -> list[str]:
    """Option ids the page explains: those with a mechanisms row, in family order."""
    have = set(mechanisms["option_id"])
    order = list(FAMILY_LABELS)
    options = dataset.options[dataset.options["id"].isin(have)]
    ranked = sorted(options.to_dict("records"), key=lambda row: (order.index(row["family"]) if row["family"] in order else 99, row["_row"]))
    return [row["id"] for row in ranked]


def option_label(dataset: Dataset, option_id: str) -> str:
    row = dataset.option(option_id)
    family = FAMILY_LABELS.get(row["family"], row["family"])
    return f"{row['plain_name']} · {family}"


_OPTION_PARAM = re.compile(r"[a-z0-9][a-z0-9_\-]{0,60}")


def parse_option(raw: str | None, option_ids: list[str]) -> tuple[str | None, str | None]:
    """Read ``?option=`` into (option id or None, notice or None).

    Accepts an option id or a friendly alias (``ketamine``). Missing means nothing chosen, with
    no notice. Anything else falls back to nothing chosen with a gentle notice that does not
    repeat the raw value (it came from a URL).
    """
    if raw is None or str(raw).strip() == "":
        return None, None
    value = str(raw).strip().lower()
    if _OPTION_PARAM.fullmatch(value):
        value = OPTION_ALIASES.get(value, value)
        if value in option_ids:
            return value, None
    return None, (
        "The link asked for a medicine this page does not cover, so nothing is selected yet. "
        "Choose one from the list below to see where it acts."
    )


@dataclass(frozen=True)
class PathwayView:
    diagram: str  # HTML (explainer.pathway_diagram): the sites are buttons that open a card each
    summary: str
    table: pd.DataFrame
    sources: tuple[str, ...]
    highlighted: tuple[str, ...]


def _row(mechanisms: pd.DataFrame, option_id: str) -> dict:
    match = mechanisms[mechanisms["option_id"] == option_id]
    if match.empty:
        raise KeyError(option_id)
    return match.iloc[0].to_dict()


def highlighted_sites(mechanisms: pd.DataFrame, option_id: str | None) -> tuple[str, ...]:
    """The diagram nodes to light up for an option, in pathway order (empty for None)."""
    if option_id is None:
        return ()
    sites = set(_row(mechanisms, option_id)["sites"])
    return tuple(site for site in SITE_IDS if site in sites)


def options_at_site(dataset: Dataset, mechanisms: pd.DataFrame, site_id: str) -> list[str]:
    return [oid for oid in selectable_options(dataset, mechanisms) if site_id in _row(mechanisms, oid)["sites"]]


def _level(audience: str) -> str:
    return "trainee" if audience == "trainee" else "patient"


def pathway_view(dataset: Dataset, mechanisms: pd.DataFrame, option_id: str | None, audience: str = "patient") -> PathwayView:
    """The pain pathway with the chosen option's sites highlighted, plus its text and table.

    The diagram is HTML (``explainer.pathway_diagram``); highlighted sites differ by size, shape (a
    star) and label text ("acts here"), not colour alone, and each site opens a card with its
    :func:`site_details` (and, where the chosen medicine acts, its target).
    """
    level = _level(audience)
    lit = highlighted_sites(mechanisms, option_id)
    row = _row(mechanisms, option_id) if option_id else None
    option = dataset.option(option_id) if option_id else None
    target = row[f"target_{level}"] if row else ""

    sites = []
    for site in SITES:
        on = site.id in lit
        acts = f"Acts here: {option['plain_name']}. Target: {target}." if on and option is not None else ""
        sites.append(
            pathway_diagram.DiagramSite(
                site.id, site.label, site.x, site.id == "descending", on, site_details(dataset, mechanisms, site.id, level), acts
            )
        )
    chosen = f" Sites where {option['plain_name']} acts are stars labelled 'acts here'." if option is not None else ""
    diagram = pathway_diagram.pathway_html(
        "Illustrative diagram of the pain pathway, not an anatomical drawing." + chosen + " Select a site to read about it.",
        sites,
        ["tissue", "nerve", "dorsal_horn", "brain"],
        "Pain signal travels up",
        "Brakes travel down (dashed line)",
    )

    if option is None:
        summary = (
            "The diagram shows how a pain signal travels: from nerve endings in the tissue, along a nerve, "
            "into the spinal cord (dorsal horn) and up to the brain. The brain also sends signals back down "
            "that can turn pain up or down. Choose a medicine to see where it acts."
        )
        sources: tuple[str, ...] = PATHWAY_SOURCES
    else:
        where = _join([SITES_BY_ID[s].plain for s in lit])
        summary = f"{option['plain_name']}. Where it acts: {where}. Target: {target}. {row[f'caption_{level}']}"
        sources = (row["source_id"], *PATHWAY_SOURCES)

    table = pd.DataFrame(
        {
            "Site": [site.label.replace("<br>", " ") for site in SITES],
            "What happens here": [site.role_trainee if level == "trainee" else site.role_patient for site in SITES],
            "Chosen medicine acts here": ["yes" if site.id in lit else ("no" if option else "no medicine chosen") for site in SITES],
            "Medicines on this page that act here": [
                ", ".join(dataset.option(oid)["plain_name"] for oid in options_at_site(dataset, mechanisms, site.id)) or "none"
                for site in SITES
            ],
        }
    )
    return PathwayView(diagram, summary, table, tuple(dict.fromkeys(sources)), lit)


def site_details(dataset: Dataset, mechanisms: pd.DataFrame, site_id: str, audience: str = "patient") -> str:
    """One paragraph about a site: what happens there and which medicines act there (and on what)."""
    site = SITES_BY_ID[site_id]
    level = _level(audience)
    role = site.role_trainee if level == "trainee" else site.role_patient
    acting = [
        f"{dataset.option(oid)['plain_name']} ({_row(mechanisms, oid)[f'target_{level}']})"
        for oid in options_at_site(dataset, mechanisms, site_id)
    ]
    names = "; ".join(acting) if acting else "none of the medicines on this page"
    return f"{site.label.replace('<br>', ' ')}: {role} Acting here: {names}."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the volume-knob model (illustrative) -------------------------------------------------

STIMULI_RANGE = (1, 20)  # how many repeated painful inputs
STRENGTH_RANGE = (1, 10)  # how strong each input is (made-up units)
BLOCK_RANGE = (0.0, 1.0)  # share of the NMDA-dependent amplification removed
MAX_EXTRA_GAIN = 2.0  # without blockade, the response can grow to 3x the first response
BUILD_UP = 0.75  # how quickly amplification builds with each repeat (closer to 1 = slower)
NMDA_BLOCK_SHOWN = 0.8  # the toggle removes most, not all, of the amplification

MODEL_ASSUMPTIONS_PATIENT = (
    "Each painful input is the same size.",
    "Without the blocker, the spinal cord's answer grows with each repeat, up to about three times the first answer, then levels off.",
    "The blocker takes away most, but not all, of that growth. It does not change the first answer.",
    "The numbers are made up to show the shape of the effect. They are not measured in people.",
)
MODEL_ASSUMPTIONS_TRAINEE = (
    "Constant stimulus amplitude; response = stimulus x (1 + G(1 - b)(1 - r^(n-1))) with G = 2, r = 0.75.",
    "Only the NMDA-dependent component grows with repetition; the first (baseline) response is unaffected by blockade.",
    "Blockade b = 0.8 removes 80% of the NMDA-dependent gain; real block depends on dose, state and receptor subtype.",
    "Arbitrary units; the model shows the direction of the effect, not its size, and says nothing about clinical benefit.",
)
MODEL_SOURCES = ("woolf2011", "windup2000")


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g} (got {value!r})")


def windup_response(stimulus_number: int, strength: float, nmda_block: float) -> float:
    """The modelled dorsal-horn response to the n-th of a train of equal painful inputs."""
    _check_range("stimulus_number", stimulus_number, (1, STIMULI_RANGE[1]))
    _check_range("strength", strength, STRENGTH_RANGE)
    _check_range("nmda_block", nmda_block, BLOCK_RANGE)
    growth = 1 - BUILD_UP ** (stimulus_number - 1)
    return strength * (1 + MAX_EXTRA_GAIN * (1 - nmda_block) * growth)


def windup_model(stimuli: int, strength: float, nmda_block: float = NMDA_BLOCK_SHOWN) -> pd.DataFrame:
    """Responses to ``stimuli`` repeated inputs, without and with NMDA blockade.

    Inputs are bounded (see the *_RANGE constants); anything outside raises ValueError so a page
    can never draw a nonsense picture.
    """
    _check_range("stimuli", stimuli, STIMULI_RANGE)
    if int(stimuli) != stimuli:
        raise ValueError(f"stimuli must be a whole number (got {stimuli!r})")
    _check_range("strength", strength, STRENGTH_RANGE)
    _check_range("nmda_block", nmda_block, BLOCK_RANGE)
    numbers = list(range(1, int(stimuli) + 1))
    return pd.DataFrame(
        {
            "Input number": numbers,
            "Input strength": [float(strength)] * len(numbers),
            "Response without blockade": [round(windup_response(n, strength, 0.0), 2) for n in numbers],
            "Response with NMDA blockade": [round(windup_response(n, strength, nmda_block), 2) for n in numbers],
        }
    )


def amplification(frame: pd.DataFrame, column: str) -> float:
    """Last response divided by the first: how much the answer grew over the train."""
    first = frame[column].iloc[0]
    return float(frame[column].iloc[-1] / first)


def windup_view(frame: pd.DataFrame, show_blockade: bool) -> tuple[str, str]:
    """The model as a line chart drawn in HTML and SVG (a different dash and mark per line) and a one-paragraph summary."""
    inputs = [int(n) for n in frame["Input number"]]

    def points(column: str) -> tuple[tuple[float, float], ...]:
        return tuple(zip(inputs, (float(v) for v in frame[column]), strict=True))

    lines = [
        line_charts.Series("No blocker", points("Response without blockade"), "#D55E00", "solid", "circle"),
    ]
    if show_blockade:
        lines.append(line_charts.Series("With NMDA blocker", points("Response with NMDA blockade"), "#0072B2", "dash", "square"))
    lines.append(line_charts.Series("Size of each input", points("Input strength"), "#4D4D4D", "dot", None))
    top = max(float(frame["Response without blockade"].max()) * 1.1, 1.0)
    step = 1 if len(frame) <= 10 else 2
    x_axis = line_charts.LineAxis(
        0.5 if len(frame) > 1 else 0.0,
        len(frame) + 0.5 if len(frame) > 1 else 2.0,
        {n: str(n) for n in range(1, len(frame) + 1, step)},
        "Repeated painful input (number)",
    )
    y_axis = line_charts.LineAxis(0, top, line_charts.nice_ticks(0, top), "Spinal cord response (made-up units)")
    figure = line_charts.line_chart_html(
        "Illustrative volume-knob model: how the spinal cord's response changes with repeated painful inputs. "
        "The summary below and the table give the same numbers.",
        "",
        lines,
        x_axis,
        y_axis,
    )

    n = len(frame)
    no_block = amplification(frame, "Response without blockade")
    summary = (
        f"Illustrative model. With {n} equal painful input{'s' if n != 1 else ''}, the modelled spinal cord response "
        f"grows to {no_block:.1f} times the first response without a blocker."
    )
    if show_blockade:
        blocked = amplification(frame, "Response with NMDA blockade")
        summary += f" With the NMDA blocker switched on it grows only to {blocked:.1f} times: the turning-up is damped."
    if n == 1:
        summary += " Add more repeats to see the response grow."
    return figure, summary


# --- mechanism cards -------------------------------------------------------------------------


@dataclass(frozen=True)
class MechanismCard:
    option_id: str
    name: str
    family: str
    target: str
    where: str
    action: str
    action_source: str
    onset: str
    onset_source: str
    tolerance: str
    tolerance_source: str
    effects: str
    effects_source: str
    unknown: tuple[str, ...] = ()  # the fields (of CARD_LINES) our sources cannot answer: said once, not line by line

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.action_source, self.onset_source, self.tolerance_source, self.effects_source)))


TOLERANCE_TEXT = {
    "patient": {
        "yes": "Yes: with regular use the same dose can do less over time.",
        "no": "Not expected, according to our sources.",
        "not_established": "Not known: our sources do not say whether it happens.",
    },
    "trainee": {
        "yes": "Yes: reduced effect with repeated exposure, or a higher dose needed for the same effect.",
        "no": "Not reported in our sources.",
        "not_established": "Not established in our sources.",
    },
}


_UNKNOWN_ONSET = ("Not known: our sources do not say.", "Not established in our sources.")
# How each unanswered line is named in the card's one "not in our sources" line.
UNKNOWN_NAMES = {"onset": "how fast it starts", "tolerance": "whether the body gets used to it"}


def _onset(dataset: Dataset, option_id: str, level: str) -> tuple[str, str]:
    """The first established onset (a course's first relief, else one dose's), its note naming the pain it was measured in."""
    mine = dataset.timecourse[dataset.timecourse["option_id"] == option_id]
    for measure in ("first_relief", "dose_onset"):
        known = mine[(mine["measure"] == measure) & (mine["status"] == "established")]
        if not known.empty:
            row = known.iloc[0]
            return str(row[f"note_{level}"]), str(row["source_id"])
    rows = mine[mine["measure"] == "first_relief"]
    if rows.empty:
        return "Not established in our sources.", ""
    row = rows.iloc[0]
    if row["status"] != "established":
        # Notes on unestablished onsets sometimes mention figures that are quoted elsewhere but
        # unconfirmed; the card states only that the onset is not established.
        text = "Not known: our sources do not say." if level == "patient" else "Not established in our sources."
        return text, str(row["source_id"])
    return str(row[f"note_{level}"]), str(row["source_id"])


def mechanism_cards(dataset: Dataset, mechanisms: pd.DataFrame, audience: str = "patient") -> list[MechanismCard]:
    """One card per option on this page, at the reader's level, every line with its source."""
    level = _level(audience)
    cards = []
    for option_id in selectable_options(dataset, mechanisms):
        option = dataset.option(option_id)
        row = _row(mechanisms, option_id)
        onset, onset_source = _onset(dataset, option_id, level)
        unknown = tuple(
            field
            for field, missing in (
                ("onset", onset_source == "" or onset in _UNKNOWN_ONSET),
                ("tolerance", option["tolerance"] == "not_established"),
            )
            if missing
        )
        where = _join([SITES_BY_ID[s].plain for s in highlighted_sites(mechanisms, option_id)])
        cards.append(
            MechanismCard(
                option_id=option_id,
                name=option["plain_name"],
                family=FAMILY_LABELS.get(option["family"], option["family"])
                + ("" if level == "patient" else f" · {option['technical_name']}"),
                target=row[f"target_{level}"],
                where=where[0].upper() + where[1:],
                action=row[f"caption_{level}"],
                action_source=row["source_id"],
                onset=onset,
                onset_source=onset_source or row["source_id"],
                tolerance=TOLERANCE_TEXT[level][option["tolerance"]],
                tolerance_source=option["tolerance_source"],
                effects=row[f"effects_{level}"],
                effects_source=row["effects_source_id"],
                unknown=unknown,
            )
        )
    return cards


CARD_LINES = (
    ("Acts on", "target"),
    ("Where", "where"),
    ("What it does", "action"),
    ("How fast it starts", "onset"),
    ("Does the body get used to it?", "tolerance"),
    ("Main side effects", "effects"),
)


def cards_html(cards: list[MechanismCard], sources: Callable[[Iterable[str]], list[tuple[str, str]]]) -> str:
    """All the cards as one block of HTML: a grid (``#mechanism-cards``, styled by the site's CSS) of
    up to three cards a row, one column on a phone.

    Each card has the medicine as an ``<h3>``, its family, the six lines of :data:`CARD_LINES` and a
    sources line; ``sources`` turns reference ids into (label, href) pairs. All text and hrefs are
    HTML-escaped.
    """
    blocks = ['<div id="mechanism-cards">']
    for card in cards:
        # A question ("Does the body get used to it?") takes no colon after it.
        lines = "<br>".join(
            f"<strong>{escape(label)}{'' if label.endswith('?') else ':'}</strong> {escape(getattr(card, field))}"
            for label, field in CARD_LINES
            if field not in card.unknown
        )
        if card.unknown:
            lines += f"<br><strong>Not in our sources:</strong> {escape('; '.join(UNKNOWN_NAMES[f] for f in card.unknown))}."
        blocks.append(
            f"<div><h3>{escape(card.name)}</h3><p><small>{escape(card.family)}</small></p><p>{lines}</p>"
            f"{evidence.source_line_html(sources(card.sources))}</div>"
        )
    blocks.append("</div>")
    return "".join(blocks)


def cards_table(cards: list[MechanismCard]) -> pd.DataFrame:
    """The cards as one table (for the expander and the CSV download), sources included."""
    return pd.DataFrame(
        [
            {
                "Option": card.name,
                "Class": card.family,
                "Target": card.target,
                "Where it acts": card.where,
                "What it does": card.action,
                "How fast it starts": card.onset,
                "Tolerance": card.tolerance,
                "Main side effects": card.effects,
                "Sources": ", ".join(card.sources),
            }
            for card in cards
        ]
    )
