"""Heartland's server: `streamlit run serve.py` serves app.py and says it is ready (its health check answers)
once it has warmed what every first visit needs: the libraries imported, the reference database built and the
default scenario's plan and charts in the shared caches. A new visitor's first page then shows its headline
first and the rest once the browser has painted it (pages/common.py, HEADLINE_FIRST). `streamlit run app.py`
serves the same app without either: its first visitor waits for all of it (about a second on two cores)."""
import asyncio
import logging
import time
from contextlib import asynccontextmanager

import streamlit as st

log = logging.getLogger("heartland")


def warm() -> None:
    started = time.perf_counter()
    try:
        from pages import common
        common.warm_caches()
    except Exception:  # a server that could not warm still serves: each first visit then does the work
        log.exception("Heartland could not warm its caches; serving without them")
    else:
        print(f"  Heartland warmed its caches in {time.perf_counter() - started:.1f} s.", flush=True)


@asynccontextmanager
async def lifespan(_app):
    await asyncio.to_thread(warm)  # visitors are let in once this is done
    from pages import common
    common.HEADLINE_FIRST = True  # visitors come with a browser, which answers once it has painted a headline
    yield


app = st.App("app.py", lifespan=lifespan)
