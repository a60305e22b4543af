"""The one-page PDF brief: page (what goes on it), parts (its blocks and number formats), charts (the
explorer's Altair specs drawn for print) and pdf (an A4 page on fpdf2 that never runs onto a second)."""
from analytics.present.brief.page import brief_pdf, plan_sources
from analytics.present.brief.pdf import FontMissing, Overflow

__all__ = ["FontMissing", "Overflow", "brief_pdf", "plan_sources"]
