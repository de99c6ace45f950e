import streamlit as st

st.title("vignette")
st.write("Coming soon.")
