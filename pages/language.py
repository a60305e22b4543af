"""The reader's language: from the link on a session's first run, then from the sidebar switch; kept in the
address bar and in share links."""
from __future__ import annotations

import streamlit as st

from analytics.present import i18n
from analytics.present.i18n import N_, fill
from analytics.present.text import md_escape

LANG_KEY = "lang"


def choose_language() -> str:
    """The reader's language for this run: the link's `lang` on a session's first run, then the sidebar
    switch; set for the run (analytics.present.i18n) and kept in the address bar (only when not English)."""
    ss = st.session_state
    if LANG_KEY not in ss:
        given = st.query_params.get_all(LANG_KEY)
        chosen = given[-1] if given else i18n.DEFAULT
        if chosen not in i18n.LANGUAGES:
            ss["_lang_notice"] = chosen[:20]
            chosen = i18n.DEFAULT
        ss[LANG_KEY] = chosen
    lang = i18n.set_language(ss[LANG_KEY])
    with st.sidebar:
        # A radio, not a segmented control: on a cold page a browser showed the first figures about 0.4 s later
        # with a segmented control in the sidebar (a bare page with one metric: 1.55 s against 1.1-1.2 s).
        st.radio("Language · Язык", list(i18n.LANGUAGES), key=LANG_KEY, format_func=i18n.LANGUAGES.get,
                 horizontal=True)
    if "_lang_notice" in ss:
        st.warning(md_escape(fill(N_("Ignored language {value} from the link: allowed en or ru; showing English."),
                                  value=repr(ss["_lang_notice"]))), icon=":material/warning:")
    wanted = [lang] if lang != i18n.DEFAULT else []
    if st.query_params.get_all(LANG_KEY) != wanted:
        if wanted:
            st.query_params[LANG_KEY] = lang
        else:
            del st.query_params[LANG_KEY]
    return lang


def lang_param() -> dict[str, str]:
    """{'lang': 'ru'} when the reader reads Russian, else nothing: a share link opens in the same language."""
    lang = i18n.current()
    return {LANG_KEY: lang} if lang != i18n.DEFAULT else {}
