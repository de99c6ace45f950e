import streamlit as st

st.title("compare")
st.write("Coming soon.")
