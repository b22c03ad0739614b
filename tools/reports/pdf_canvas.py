"""An fpdf2 page with the report's house style: running header, numbered footer, chips, bars.

The section layout lives in pdf.py; this module only knows how to draw the pieces.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tools.reports.pdf_fonts import FontChoice
from tools.reports.view import Bar

NAVY = "#1F3A5F"
INK = "#1D2733"
MUTED = "#5B6775"
RULE = "#D5DBE1"
WASH = "#F4F6F8"
TRACK = "#EEF1F4"
BODY_SIZE = 9.0


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class ReportCanvas(FPDF):
    """A4 portrait, 16 mm margins; page 1 carries the masthead instead of the running header."""

    def __init__(self, fonts: FontChoice, running_title: str, footer_note: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.font_choice = fonts
        self.clean = fonts.clean()
        self.running_title = self.clean(running_title)
        self.footer_note = self.clean(footer_note)
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(auto=True, margin=18)
        self.watermark = ""
        self._register_fonts()

    def _register_fonts(self) -> None:
        fonts = self.font_choice
        if not fonts.unicode:
            self.serif_family = "times"
            return
        self.add_font(fonts.family, "", str(fonts.regular))
        self.add_font(fonts.family, "B", str(fonts.bold))
        self.add_font(fonts.family, "I", str(fonts.italic))
        self.add_font(fonts.family, "BI", str(fonts.bold))
        self.serif_family = fonts.family
        if fonts.serif is not None:
            self.serif_family = "DejaVuSerif"
            self.add_font(self.serif_family, "", str(fonts.serif))
            self.add_font(self.serif_family, "B", str(fonts.serif_bold or fonts.serif))

    # Text ---------------------------------------------------------------------------

    def style(self, size: float = BODY_SIZE, emphasis: str = "", colour: str = INK) -> None:
        self.set_font(self.font_choice.family, emphasis, size)
        self.set_text_color(*rgb(colour))

    def serif(self, size: float, colour: str = NAVY, emphasis: str = "") -> None:
        self.set_font(self.serif_family, emphasis, size)
        self.set_text_color(*rgb(colour))

    def paragraph(
        self, text: str, height: float = 4.4, width: float = 0, indent: float = 0
    ) -> None:
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(
            width, height, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def text_height(self, text: str, width: float, height: float) -> float:
        lines = self.multi_cell(
            width, height, self.clean(text), align="L", dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)  # output="LINES" returns the wrapped lines
        return len(lines) * height

    # Running header and footer ------------------------------------------------------

    def header(self) -> None:
        self._draw_watermark()
        if self.page_no() == 1:
            return
        self.style(7.5, colour=MUTED)
        self.set_xy(self.l_margin, 9)
        self.cell(0, 4, self.running_title, align="L")
        self.set_draw_color(*rgb(RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_y(self.t_margin)

    def _draw_watermark(self) -> None:
        """A large diagonal word behind the page's content ("DRAFT" until approved)."""
        if not self.watermark:
            return
        self.set_font(self.font_choice.family, "B", 110)
        self.set_text_color(244, 222, 222)
        width = self.get_string_width(self.watermark)
        with self.rotation(35, self.w / 2, self.h / 2):
            self.text(self.w / 2 - width / 2, self.h / 2 + 14, self.watermark)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_draw_color(*rgb(RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() - 1.5, self.w - self.r_margin, self.get_y() - 1.5)
        self.style(7, colour=MUTED)
        self.cell(0, 4, self.footer_note, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    # Pieces -------------------------------------------------------------------------

    def section_heading(self, text: str, number: int | None = None) -> None:
        """A serif heading with a rule under it, moved to a new page if stranded at the foot."""
        if self.get_y() > self.h - 60:
            self.add_page()
        self.ln(4)
        x = self.l_margin
        if number is not None:
            self.style(8, "B", "#FFFFFF")
            self.set_fill_color(*rgb(NAVY))
            label = str(number)
            self.set_xy(x, self.get_y() + 1)
            self.cell(self.get_string_width(label) + 3.5, 5, label, fill=True, align="C")
            x = self.get_x() + 2.5
            self.set_y(self.get_y() - 1)
        self.serif(13)
        self.set_x(x)
        self.multi_cell(
            self.w - self.r_margin - x,
            7,
            self.clean(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_draw_color(*rgb(RULE))
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(3)

    def chip_width(self, text: str) -> float:
        self.style(6.8, "B")
        return self.get_string_width(self.clean(text.upper())) + 3.6

    def chip(self, text: str, colour: str, x: float, y: float, outline: bool = False) -> float:
        """A small coloured label; returns its width."""
        width = self.chip_width(text)
        self.style(6.8, "B", colour if outline else "#FFFFFF")
        label = self.clean(text.upper())
        self.set_fill_color(*rgb(colour))
        self.set_draw_color(*rgb(colour))
        self.set_line_width(0.25)
        self.rect(
            x, y, width, 4.2, style="D" if outline else "F", round_corners=True, corner_radius=0.8
        )
        self.set_xy(x, y)
        self.cell(width, 4.2, label, align="C")
        return width

    def bar_chart(
        self, bars: Sequence[Bar], x: float, y: float, width: float, scale_max: int | None = None
    ) -> float:
        """Horizontal bars as vector rectangles; returns the height used."""
        label_w, value_w, row_h = 24.0, 16.0, 6.2
        plot_w = width - label_w - value_w
        for index, bar in enumerate(bars):
            top = y + index * row_h
            self.style(8, colour=INK)
            self.set_xy(x, top)
            self.cell(label_w - 2, 4.4, self.clean(bar.label), align="R")
            self.set_fill_color(*rgb(TRACK))
            self.rect(x + label_w, top + 0.6, plot_w, 3.4, style="F")
            if bar.value:
                self.set_fill_color(*rgb(bar.colour))
                self.rect(x + label_w, top + 0.6, max(plot_w * bar.fraction, 0.6), 3.4, style="F")
            self.set_xy(x + label_w + plot_w + 1.5, top)
            self.style(8, "B")
            note = f"  x{bar.weight:g}" if bar.weight is not None else ""
            self.cell(value_w, 4.4, f"{bar.value}{note}")
        height = len(bars) * row_h
        if scale_max:
            self._thresholds(x + label_w, y, plot_w, height, scale_max)
            height += 4
        return height

    def _thresholds(self, x: float, y: float, plot_w: float, height: float, scale: int) -> None:
        self.set_draw_color(*rgb("#9AA3AD"))
        self.set_line_width(0.2)
        self.set_dash_pattern(dash=0.8, gap=0.8)
        for tick in (40, 70):
            self.line(x + plot_w * tick / scale, y - 0.5, x + plot_w * tick / scale, y + height)
        self.set_dash_pattern()
        self.style(6.5, colour=MUTED)
        for tick in (0, 40, 70, 100):
            self.set_xy(x + plot_w * tick / scale - 4, y + height)
            self.cell(8, 3, str(tick), align="C")
