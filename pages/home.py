"""Home: what the site is, the two reading levels, where to start, and the key takeaways."""

import streamlit as st

from explainer import ui

st.title("Ketamine & Chronic Pain Explainer")
ui.text(
    "How ketamine compares with opioids, anti-inflammatories and nerve-pain medicines: how fast they help, how long they last, and what they risk."
)

intro = ui.show_section("home/intro")
ui.show_section("home/levels")

ui.text("## Where to start")
columns = st.columns(3)
starts = (
    ("mechanisms", "How they work", "Where each medicine acts on the pain pathway."),
    ("compare", "Compare", "Onset, durability and risks side by side."),
    ("vignette", "Patient story", "Step through one person's choices."),
)
for column, (target, label, blurb) in zip(columns, starts, strict=True):
    with column, st.container(border=True):
        ui.page_link(target, label=label, icon=":material/arrow_forward:")
        st.caption(blurb)

ui.show_section("home/takeaways")
# One row that wraps: in a narrow frame (a clinic's embed) the links flow onto more lines instead
# of being squeezed into four thin columns.
with st.container(horizontal=True, gap="medium", key="home_more"):
    for target, label in (
        ("mechanisms", "Why mechanism is not destiny"),
        ("compare", "Benefits and harms in numbers"),
        ("vignette", "Selection and monitoring in practice"),
        ("evidence", "What the evidence does and does not show"),
    ):
        ui.page_link(target, label=label, icon=":material/arrow_forward:")
ui.review_caption(intro)
