"""The brief in a reader's language: the page's own words (the gettext catalogue), the data's names in
their translated forms, and 'What binds' as the explorer says it (grouped sentences), for the explorer's
download and the command line alike."""
from __future__ import annotations

import pandas as pd

from analytics.present.brief.page import brief_pdf
from analytics.present.display.limits import Names, sentences
from analytics.present.display.names import data_name
from analytics.present.i18n import gettext, language


def brief_in(lang: str, result, *, data, link: str, waterfall: pd.DataFrame, what_binds: pd.DataFrame | None,
             sources: pd.DataFrame, data_version: str) -> bytes:
    """brief_pdf of `result` in `lang` ('en' or 'ru'): every word through the catalogue, numbers and the
    date for the locale. `what_binds` is the model's table (model.what_binds); None or empty without a plan."""
    with language(lang) as lang:
        said = [s.text for s in sentences(what_binds, Names.of(data))] if what_binds is not None else []
        binds = pd.DataFrame({"sentence": said})
        minerals = {m: data_name(n) for m, n in zip(data.minerals.mineral_id, data.minerals.name)}
        return brief_pdf(result, link=link, waterfall=waterfall, what_binds=binds, sources=sources,
                         data_version=data_version, mineral_names=minerals, translate=gettext, locale=lang)


__all__ = ["brief_in"]
