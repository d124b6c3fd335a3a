"""The baseline for the cold-start benchmark: a Streamlit page with one plotly chart and nothing else.

bench/browser.py starts it exactly as it starts the dashboard and times launch -> chart visible.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Hello")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), theme=None)
