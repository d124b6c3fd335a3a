"""stances: compare what countries have said about missile defence.

The pure core of the dashboard: nothing in this package imports Streamlit.
"""

__version__ = "0.1.0"
