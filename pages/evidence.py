import streamlit as st
st.title('evidence')
st.write('Coming soon.')
