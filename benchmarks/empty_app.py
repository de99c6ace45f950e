"""The baseline for the load and render benchmarks: an almost empty one-page Streamlit app.

It holds only what the benchmarks need to treat it like our site: one widget to change (a radio,
the same kind of control as the site's reading-level switch) and a keyed container drawn last,
which the render benchmark waits for as the site's footer. Run it with the same server settings
(.streamlit/config.toml) as the site: `streamlit run benchmarks/empty_app.py`.
"""

import streamlit as st

st.title("Empty baseline app")
st.radio("Reading level", ("Patient", "Trainee"), key="audience")
with st.container(key="empty_footer"):
    st.caption("End of page.")
