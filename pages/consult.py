import streamlit as st

st.title("consult")
st.write("Coming soon.")
