"""The finpilot app: `finpilot ui` runs `streamlit run` on this file (or `streamlit run ui/app.py`)."""

import streamlit as st

from ui._common import mask_logs, prepare_demo, sidebar, t

mask_logs()  # before anything can fail: the server's log never holds a phone, ID or card number from a brief
st.set_page_config(page_title="finpilot", page_icon="📈", layout="wide")
with st.spinner(t("preparing")):
    prepare_demo()
sidebar()
pages = [
    st.Page("pages/advisor.py", title=t("advisor"), icon="💬", url_path="advisor", default=True),
    st.Page("pages/campaigns.py", title=t("campaigns"), icon="📣", url_path="campaigns"),
    st.Page("pages/review.py", title=t("review"), icon="📊", url_path="review"),
    st.Page("pages/qa.py", title=t("qa"), icon="🧪", url_path="qa"),
]
st.navigation(pages).run()
