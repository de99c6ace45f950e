"""Home: what the site is, the two reading levels, where to start, and the key takeaways."""

import streamlit as st

from explainer import ui

st.title("Ketamine & Chronic Pain Explainer")
st.markdown(
    "How ketamine compares with opioids, anti-inflammatories and nerve-pain medicines: how fast they help, how long they last, and what they risk."
)

intro = ui.show_section("home/intro")
ui.show_section("home/levels")

st.markdown("## Where to start")
columns = st.columns(3)
starts = (
    ("pages/mechanisms.py", "How they work", "Where each medicine acts on the pain pathway."),
    ("pages/compare.py", "Compare", "Onset, durability and risks side by side."),
    ("pages/vignette.py", "Patient story", "Step through one person's choices."),
)
for column, (target, label, blurb) in zip(columns, starts, strict=True):
    with column, st.container(border=True):
        st.page_link(target, label=label, icon=":material/arrow_forward:")
        st.caption(blurb)

ui.show_section("home/takeaways")
links = st.columns(4)
for column, (target, label) in zip(
    links,
    (
        ("pages/mechanisms.py", "Why mechanism is not destiny"),
        ("pages/compare.py", "Benefits and harms in numbers"),
        ("pages/vignette.py", "Selection and monitoring in practice"),
        ("pages/evidence.py", "What the evidence does and does not show"),
    ),
    strict=True,
):
    column.page_link(target, label=label, icon=":material/arrow_forward:")
ui.review_caption(intro)
