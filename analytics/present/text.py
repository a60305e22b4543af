"""Plain text from users and links, made safe to show inside Streamlit markdown."""
from __future__ import annotations

import re

# Control characters (C0, DEL, C1: terminal escapes start with ESC or CSI) and the marks, embeddings,
# overrides and isolates that reorder how text is shown: replaced by a space wherever text is shown.
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def md_escape(text: str) -> str:
    """Text a user typed, safe to put inside Streamlit markdown (st.warning, st.markdown): no links,
    images, emphasis or directives, just the characters."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])", r"\\\1", INVISIBLE.sub(" ", str(text)))
