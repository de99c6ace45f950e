import streamlit as st

st.title("mechanisms")
st.write("Coming soon.")
