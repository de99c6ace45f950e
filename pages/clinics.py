import streamlit as st

st.title("clinics")
st.write("Coming soon.")
