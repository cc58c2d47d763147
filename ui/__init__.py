"""The Streamlit app (fund advisor, campaign workspace, QA dashboard), added with its issue."""

__all__: list[str] = []
