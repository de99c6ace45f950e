import streamlit as st

st.title("glossary")
st.write("Coming soon.")
