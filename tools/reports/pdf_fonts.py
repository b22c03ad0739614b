"""Fonts for the PDF report: a Unicode TrueType font when the machine has one, else core fonts.

fpdf2 ships no fonts. DejaVu is on most Linux machines (Debian's fonts-dejavu-core) and
inside matplotlib when that is installed; without either, the PDF still renders with the
PDF core fonts, and text is folded to Latin-1 ("€" becomes "EUR") instead of failing.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_CURRENCY_BEFORE_DIGIT = re.compile(r"([€£])(?=\d)")
_LATIN1_FOLDS = {
    "€": "EUR",
    "£": "GBP",
    "—": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "…": "...",
    "•": "*",
    "×": "x",
    "≥": ">=",
    "≤": "<=",
    "→": "->",
    "\u00a0": " ",
    "™": "(TM)",
    "Σ": "sum",
    "█": "#",
}


@dataclass(frozen=True)
class FontChoice:
    """What to register with fpdf2 and how to make text printable with it."""

    family: str
    regular: Path | None = None
    bold: Path | None = None
    italic: Path | None = None
    serif: Path | None = None
    serif_bold: Path | None = None

    @property
    def unicode(self) -> bool:
        return self.regular is not None

    def clean(self) -> Callable[[str], str]:
        return clean_unicode if self.unicode else to_latin1


def clean_unicode(text: str) -> str:
    """Drop control and zero-width characters that would print as boxes."""
    return _CONTROL.sub("", text.replace("\t", "    ").replace("\r\n", "\n"))


def to_latin1(text: str) -> str:
    """Fold text to what the PDF core fonts can print, keeping it readable."""
    spaced = _CURRENCY_BEFORE_DIGIT.sub(lambda m: _LATIN1_FOLDS[m.group(1)] + " ", text)
    folded = "".join(_LATIN1_FOLDS.get(ch, ch) for ch in clean_unicode(spaced))
    decomposed = unicodedata.normalize("NFKC", folded)
    return decomposed.encode("latin-1", "replace").decode("latin-1")


def _matplotlib_font_dir() -> Iterator[Path]:
    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        return
    if spec is not None and spec.origin:
        yield Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def _candidate_dirs() -> Iterator[Path]:
    for folder in SYSTEM_FONT_DIRS:
        yield Path(folder)
    yield from _matplotlib_font_dir()


def _existing(folder: Path, name: str) -> Path | None:
    path = folder / name
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def choose_fonts() -> FontChoice:
    """DejaVu from the first folder that has DejaVuSans.ttf, else the core Helvetica."""
    for folder in _candidate_dirs():
        regular = _existing(folder, "DejaVuSans.ttf")
        if regular is None:
            continue
        return FontChoice(
            family="DejaVu",
            regular=regular,
            bold=_existing(folder, "DejaVuSans-Bold.ttf") or regular,
            italic=_existing(folder, "DejaVuSans-Oblique.ttf") or regular,
            serif=_existing(folder, "DejaVuSerif.ttf"),
            serif_bold=_existing(folder, "DejaVuSerif-Bold.ttf"),
        )
    logger.warning("no DejaVu TrueType font found; the PDF uses core fonts (Latin-1 only)")
    return FontChoice(family="helvetica")
