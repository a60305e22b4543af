"""One fixed A4 page drawn with fpdf2: a Unicode font found on the machine, text wrapped to a width
and cut with an ellipsis at a line limit, so a caller can measure every block before drawing it and
nothing ever flows onto a second page.

Every string is drawn as plain text (fpdf2 cells without markdown): nothing a user typed is read as
markup. Sizes are in millimetres, font sizes in points.

>>> page = Page()
>>> page.wrap("a b c", width_mm=100, size_pt=9)
['a b c']
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_ENV = "HEARTLAND_FONT"
FONT_PACKAGE = "fonts-dejavu-core"
# Where DejaVu Sans lives on Debian/Ubuntu, Fedora, Arch, Alpine and Homebrew's macOS font casks
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
FAMILY = "heartland-sans"
ELLIPSIS = "…"
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_MM = 12.0
LINE_FACTOR = 1.3  # line height as a multiple of the font size
GAP_MM = 2.5  # between stacked blocks
PT_MM = 25.4 / 72
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


Colour = int | tuple[int, int, int]  # a grey level 0-255, or red, green, blue


class Overflow(RuntimeError):
    """The blocks do not fit on one page (a layout bug: every text block has a line limit)."""


class FontMissing(RuntimeError):
    """No Unicode TTF font to embed; the message says how to get one."""


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


def fonts() -> Fonts:
    """The regular and bold font files to embed: $HEARTLAND_FONT (used for both) or DejaVu Sans
    from a known place. Raises FontMissing naming the Debian package when there is none."""
    override = os.environ.get(FONT_ENV)
    if override:
        path = Path(override)
        if not path.is_file():
            raise FontMissing(f"{FONT_ENV}={override!r} is not a font file; point it at a Unicode TTF font "
                              f"such as DejaVuSans.ttf, or unset it to use Debian's package {FONT_PACKAGE}.")
        return Fonts(path, path)
    for candidate in map(Path, FONT_PATHS):
        if candidate.is_file():
            bold = candidate.with_name(candidate.stem + "-Bold" + candidate.suffix)
            return Fonts(candidate, bold if bold.is_file() else candidate)
    raise FontMissing(f"The PDF brief needs the DejaVu Sans font, found in none of {', '.join(FONT_PATHS)}. "
                      f"Install Debian's package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE}), or set "
                      f"{FONT_ENV} to the path of a Unicode TTF font.")


def plain(text: object) -> str:
    """Text from data or a user on one line: control characters and line breaks become spaces."""
    return _CONTROL.sub(" ", str(text)).strip()


@dataclass(frozen=True)
class Block:
    """Something drawn on the page: its height, and how to draw it at (top y, height), both mm.
    A flexible block (a chart) is drawn at any height up to its natural one."""

    height_mm: float
    draw: Callable[[float, float], object]
    flexible: bool = False


def line_mm(size_pt: float) -> float:
    return size_pt * PT_MM * LINE_FACTOR


class Page:
    """One A4 portrait page with the brief's font; draws plain text, measures before it draws."""

    def __init__(self, *, title: str = "", lang: str = "en") -> None:
        found = fonts()
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.add_font(FAMILY, "", str(found.regular))
        pdf.add_font(FAMILY, "B", str(found.bold))
        pdf.set_creator("Heartland")
        pdf.set_title(plain(title))
        pdf.set_lang(lang.replace("_", "-"))  # PDF wants a BCP 47 tag; Babel writes ru_RU
        pdf.add_page()
        self.pdf = pdf
        self.width_mm = PAGE_W_MM - 2 * MARGIN_MM
        self.left_mm = MARGIN_MM
        self.bottom_mm = PAGE_H_MM - MARGIN_MM
        self._widths: dict[tuple[float, bool], dict[str, float]] = {}

    def font(self, size_pt: float, bold: bool = False, colour: Colour = 0) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size_pt)
        self.pdf.set_text_color(*(colour if isinstance(colour, tuple) else (colour,)))

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        self.font(size_pt, bold)
        return self.pdf.get_string_width(text)

    def clip(self, text: object, width_mm: float, size_pt: float, bold: bool = False) -> str:
        """`text` on one line, cut with an ellipsis where it would pass `width_mm`."""
        text = plain(text)
        if self.width(text, size_pt, bold) <= width_mm:
            return text
        lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.pdf.get_string_width(text[:mid].rstrip() + ELLIPSIS) <= width_mm:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + ELLIPSIS

    def wrap(self, text: object, *, width_mm: float, size_pt: float, bold: bool = False,
             max_lines: int | None = None) -> list[str]:
        """`text` broken into lines no wider than `width_mm`; past `max_lines` the last line kept
        ends with an ellipsis."""
        text = plain(text)
        self.font(size_pt, bold)
        measure = self._measure(size_pt, bold)
        lines: list[str] = []
        current = ""
        enough = None if max_lines is None else max_lines + 1  # one line past the limit decides the cut
        space, used = measure(" "), 0.0  # widths add up: fpdf2 sets plain text without kerning
        for word in filter(None, text.split(" ")):  # a no-break space (as in Russian '1 000') never breaks
            w = measure(word)
            if current and used + space + w <= width_mm:
                current, used = f"{current} {word}", used + space + w
                continue
            if current:
                lines.append(current)
            while len(word) > 1 and w > width_mm:  # longer than a line: broken where it must be
                cut = self._fit(word, width_mm)
                lines.append(word[:cut])
                word = word[cut:]
                w = measure(word)
            current, used = word, w
            if enough is not None and len(lines) >= enough:
                break
        if current and (enough is None or len(lines) < enough):
            lines.append(current)
        if max_lines is not None and len(lines) > max_lines:
            # the first line cut off joins the last one kept, so the cut always ends in an ellipsis
            tail = self.clip(lines[max_lines - 1] + " " + lines[max_lines], width_mm, size_pt, bold)
            if not tail.endswith(ELLIPSIS):
                tail = self.clip(tail + ELLIPSIS, width_mm, size_pt, bold)
            lines = lines[:max_lines - 1] + [tail]
        return lines

    def _measure(self, size_pt: float, bold: bool) -> Callable[[str], float]:
        """Width in mm of a string in this font and size, remembered per page (words repeat)."""
        cache = self._widths.setdefault((size_pt, bold), {})

        def measure(text: str) -> float:
            if text not in cache:
                cache[text] = self.pdf.get_string_width(text)
            return cache[text]

        return measure

    def _fit(self, word: str, width_mm: float) -> int:
        """How many leading characters of `word` fit in `width_mm` (at least one)."""
        lo, hi = 1, len(word)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if self.pdf.get_string_width(word[:mid]) <= width_mm else (lo, mid - 1)
        return lo

    def lines(self, lines: list[str], *, x_mm: float, y_mm: float, width_mm: float, size_pt: float,
              bold: bool = False, colour: Colour = 0, align: str = "L", link: str = "") -> float:
        """Draw lines already wrapped (plain text, never markup); returns the y below them. A `link`
        makes the lines' area a clickable link to it."""
        self.font(size_pt, bold, colour)
        h = line_mm(size_pt)
        for i, line in enumerate(lines):
            self.pdf.set_xy(x_mm, y_mm + i * h)
            self.pdf.cell(width_mm, h, line, align=align, markdown=False, new_x=XPos.RIGHT, new_y=YPos.TOP)
        if link and lines:
            self.pdf.link(x_mm, y_mm, width_mm, h * len(lines), link)
        return y_mm + h * len(lines)

    def image(self, png: bytes, *, x_mm: float, y_mm: float, width_mm: float, height_mm: float,
              alt_text: str = "") -> None:
        self.pdf.image(BytesIO(png), x=x_mm, y=y_mm, w=width_mm, h=height_mm, alt_text=plain(alt_text) or None)

    def rule(self, y_mm: float, *, x_mm: float | None = None, width_mm: float | None = None, grey: int = 190) -> None:
        x = self.left_mm if x_mm is None else x_mm
        self.pdf.set_draw_color(grey)
        self.pdf.set_line_width(0.2)
        self.pdf.line(x, y_mm, x + (self.width_mm if width_mm is None else width_mm), y_mm)

    def box(self, x_mm: float, y_mm: float, width_mm: float, height_mm: float, grey: int = 245) -> None:
        self.pdf.set_fill_color(grey)
        self.pdf.rect(x_mm, y_mm, width_mm, height_mm, style="F")

    def text(self, text: object, *, size_pt: float, bold: bool = False, colour: Colour = 0, max_lines: int = 1,
             x_mm: float | None = None, width_mm: float | None = None) -> Block:
        """A block of wrapped text, at most `max_lines` lines (the last cut with an ellipsis)."""
        x = self.left_mm if x_mm is None else x_mm
        w = self.width_mm if width_mm is None else width_mm
        lines = self.wrap(text, width_mm=w, size_pt=size_pt, bold=bold, max_lines=max(1, max_lines))
        return Block(line_mm(size_pt) * len(lines),
                     lambda y, _h: self.lines(lines, x_mm=x, y_mm=y, width_mm=w, size_pt=size_pt, bold=bold,
                                              colour=colour))

    def stack(self, blocks: Sequence[Block], footer: Block) -> None:
        """Draw `blocks` top down and `footer` at the bottom. Flexible blocks (charts) share the
        height the others leave, in proportion to their natural heights, shrunk when it is short."""
        gaps = GAP_MM * (len(blocks) - 1)
        top, bottom = self.pdf.t_margin, self.bottom_mm - footer.height_mm - GAP_MM
        fixed = sum(b.height_mm for b in blocks if not b.flexible)
        flexible = sum(b.height_mm for b in blocks if b.flexible)
        room = bottom - top - gaps - fixed
        shrink = min(1.0, max(room, 0.0) / flexible) if flexible else 1.0
        if top + gaps + fixed > bottom + 1e-6:  # the text blocks' line limits are meant to prevent this
            raise Overflow(f"the page's text needs {top + gaps + fixed - bottom:.1f} mm more than A4 has")
        y = top
        for b in blocks:
            h = b.height_mm * shrink if b.flexible else b.height_mm
            if h > 0:
                b.draw(y, h)
                y += h + GAP_MM
        footer.draw(self.bottom_mm - footer.height_mm, footer.height_mm)

    def output(self) -> bytes:
        if self.pdf.pages_count != 1:  # the layout measures every block first; this would be a bug in it
            raise Overflow(f"the brief ran to {self.pdf.pages_count} pages")
        return bytes(self.pdf.output())
