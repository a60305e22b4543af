"""Plain text from users and links, made safe to show inside Streamlit markdown."""
from __future__ import annotations

import re


def md_escape(text: str) -> str:
    """Text a user typed, safe to put inside Streamlit markdown (st.warning, st.markdown): no links,
    images, emphasis or directives, just the characters."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])", r"\\\1", re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)))
