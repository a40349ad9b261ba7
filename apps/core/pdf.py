"""PDF fonts shared by every document the system prints (report, certificates, letters)."""

import glob
import os
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@lru_cache(maxsize=1)
def pdf_fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans when its TTF files are found (Debian fonts-dejavu-core,
    or REPORT_FONT_DIR), else the built-in Helvetica, which lacks some characters (→)."""

    dirs = [os.environ.get("REPORT_FONT_DIR", ""), "/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fonts/TTF"]
    dirs.append(os.path.expanduser("~/.fonts"))
    found: dict[str, str] = {}
    for d in dirs:
        if not d or not os.path.isdir(d):
            continue
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            if name not in found:
                hits = sorted(glob.glob(os.path.join(d, "**", name), recursive=True))
                if hits:
                    found[name] = hits[0]
    if len(found) == 2:
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSans", found["DejaVuSans.ttf"]))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", found["DejaVuSans-Bold.ttf"]))
            return "DejaVuSans", "DejaVuSans-Bold"
        except Exception:  # a damaged font file must not stop the report: fall back
            pass
    return "Helvetica", "Helvetica-Bold"
