"""PDF and XLSX of the leadership report (SPEC §7). Both render `Report.sections()` of
`composer.build_report`, the same tables the page shows, so the three carry the same numbers as
`kpi_report --format json`."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from apps.core.formatting import number_id, rupiah, tanggal, wib
from apps.core.pdf import pdf_fonts
from apps.core.reporting import Section, Table
from apps.core.spreadsheets import xlsx_append
from apps.regions.models import Level, Region
from apps.reports.composer import Report

RUPIAH_FORMAT = '"Rp"#,##0'
COUNT_FORMAT = "#,##0"


@dataclass(frozen=True)
class ReportMeta:
    region_code: str
    region_name: str
    parent_name: str
    year: int
    as_of: date
    printed_at: datetime
    government: str = ""  # "PEMERINTAH KABUPATEN PURBALINGGA" (the letterhead's first line)
    signatory: dict[str, str] = field(default_factory=dict)  # name, nip, title (settings.REPORT_SIGNATORIES)

    @property
    def heading(self) -> str:
        return f"{self.region_name}, {self.parent_name}" if self.parent_name else self.region_name


def report_meta(report: Report, printed_at: datetime | None = None) -> ReportMeta:
    code = report.region
    region = Region.objects.select_related("parent").filter(code=code).first()
    name = region.name if region else code
    parent = region.parent.name if region and region.parent else ""
    if region and region.level == Level.PROVINCE:
        name = _("Provinsi %(name)s") % {"name": region.name}
    elif parent:
        parent = _("Provinsi %(name)s") % {"name": parent}
    government = _("PEMERINTAH %(region)s") % {"region": name}
    return ReportMeta(
        region_code=code,
        region_name=name,
        parent_name=parent,
        year=report.year,
        as_of=report.as_of,
        printed_at=printed_at or timezone.now(),
        government=government.upper(),
        signatory=dict(settings.REPORT_SIGNATORIES.get(code, {})),
    )


def render(report: Report, format: str, *, printed_at: datetime | None = None) -> bytes:
    """The report as `pdf` or `xlsx` bytes."""
    if format not in ("pdf", "xlsx"):
        raise ValueError(f"unknown report format: {format}")
    meta = report_meta(report, printed_at)
    summary = summary_rows(report)
    sections = report.sections()
    if format == "pdf":
        return render_pdf(summary, sections, meta)
    return render_xlsx(summary, sections, meta)


def summary_rows(report: Report) -> list[tuple[str, int, bool]]:
    """(label, value, is_money) for every SPEC §8 figure, in the order of the contract."""
    return [(item.label, item.value, item.money) for item in report.summary()]


def fmt(value: int, money: bool) -> str:
    return rupiah(value) if money else number_id(value)


# --- PDF --------------------------------------------------------------------------------------


def _text(s: str) -> str:
    if pdf_fonts()[0] == "Helvetica":
        return s.replace("→", "->")
    return s


def _escape(s: str) -> str:
    return _text(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numbered_canvas_class(meta: ReportMeta, font: str):

    footer_left = _text(
        _("Tuka-Tuku · Laporan pimpinan %(region)s · tahun %(year)s") % {"region": meta.region_name, "year": meta.year}
    )

    class NumberedCanvas(canvas.Canvas):
        """Draws "Halaman X dari Y" once the number of pages is known (two passes over saved pages)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(font, 8)
                self.drawString(18 * mm, 10 * mm, footer_left)
                self.drawRightString(
                    width - 18 * mm,
                    10 * mm,
                    _("Halaman %(page)d dari %(total)d") % {"page": self._pageNumber, "total": total},
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def _chart(table: Table, font: str, width: float):

    data = table.chart_data()
    values, labels = data["values"], [_text(x) for x in data["labels"]]
    if not table.chart or not values or sum(values) <= 0 or min(values) < 0:
        return None
    palette = [colors.HexColor(c) for c in ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")]
    if table.chart == "pie" and len(values) <= 6:
        d = Drawing(width, 150)
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 10, 10, 130, 130
        pie.data = values
        pie.labels = None
        pie.slices.strokeColor = colors.white
        for i in range(len(values)):
            pie.slices[i].fillColor = palette[i % len(palette)]
        d.add(pie)
        total = sum(values)
        for i, (label, v) in enumerate(zip(labels, values, strict=True)):
            y = 125 - i * 16

            d.add(Rect(160, y, 9, 9, fillColor=palette[i % len(palette)], strokeColor=None))
            share = f"{v * 100 / total:.1f}".replace(".", ",")
            d.add(String(174, y + 1, f"{label}: {fmt(v, data['money'])} ({share}%)", fontName=font, fontSize=8))
        return d
    bar_h = 14
    height = max(60, bar_h * len(values) + 30)
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 120, 20
    chart.width, chart.height = width - 140, height - 30
    chart.data = [values]
    chart.bars[0].fillColor = palette[0]
    chart.categoryAxis.categoryNames = [lbl[:22] for lbl in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.reverseDirection = True
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: number_id(int(v))
    d.add(chart)
    return d


def _letterhead(meta: ReportMeta, font: str, bold: str, width: float) -> Any:
    """The agency's letterhead: the logo (settings.REPORT_LOGO, else a marked place for it), the government and
    agency names and the address, over a double rule."""

    size = 22 * mm
    if settings.REPORT_LOGO:
        logo: Any = Image(settings.REPORT_LOGO, width=size, height=size, kind="proportional")
    else:
        logo = Drawing(size, size)
        logo.add(Rect(1, 1, size - 2, size - 2, strokeColor=colors.HexColor("#9aa5b1"), fillColor=None))
        logo.add(String(size / 2, size / 2 - 3, "LOGO", fontName=font, fontSize=8, textAnchor="middle"))
    centre = ParagraphStyle("lh", fontName=bold, fontSize=13, leading=16, alignment=1)
    lines = [
        Paragraph(_escape(meta.government), centre),
        Paragraph(
            _escape(_("DINAS KOPERASI DAN USAHA KECIL MENENGAH")), ParagraphStyle("lh2", parent=centre, fontSize=12)
        ),
    ]
    if settings.REPORT_ADDRESS:
        lines.append(
            Paragraph(_escape(settings.REPORT_ADDRESS), ParagraphStyle("lh3", fontName=font, fontSize=9, alignment=1))
        )
    head = PdfTable([[logo, lines, ""]], colWidths=[size + 4 * mm, width - 2 * (size + 4 * mm), size + 4 * mm])
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 2, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return head


def render_pdf(summary: list[tuple[str, int, bool]], sections: list[Section], meta: ReportMeta) -> bytes:

    font, bold = pdf_fonts()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, alignment=1, spaceAfter=4)
    sub_style = ParagraphStyle("sub", fontName=font, fontSize=10, leading=13, alignment=1)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=bold)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=_text(_("Laporan Pimpinan %(region)s Tahun %(year)s") % {"region": meta.region_name, "year": meta.year}),
        author=_text(_("Dinas Koperasi dan UKM")),
    )
    width = doc.width

    def grid(header: tuple[str, ...], rows: list[tuple[str, list[str], bool]]) -> Any:
        data = [[Paragraph(_escape(h), cell_bold) for h in header]]
        for label, cells, is_total in rows:
            style = cell_bold if is_total else cell
            data.append([Paragraph(_escape(label), style), *cells])
        value_w = min(38 * mm, width * 0.62 / max(1, len(header) - 1))
        col_widths = [width - value_w * (len(header) - 1)] + [value_w] * (len(header) - 1)
        t = PdfTable(data, colWidths=col_widths, repeatRows=1)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ]
        for i, (_label, _cells, is_total) in enumerate(rows, start=1):
            if is_total:
                style.append(("FONTNAME", (1, i), (-1, i), bold))
                style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f3f3f3")))
        t.setStyle(TableStyle(style))
        return t

    story: list[Any] = [
        _letterhead(meta, font, bold, width),
        Spacer(1, 5 * mm),
        Paragraph(_escape(_("LAPORAN PIMPINAN")), title_style),
        Paragraph(_escape(meta.heading), sub_style),
        Paragraph(
            _escape(_("Tahun %(year)s · Posisi data %(as_of)s") % {"year": meta.year, "as_of": tanggal(meta.as_of)}),
            sub_style,
        ),
        Paragraph(_escape(_("Dicetak %(when)s") % {"when": wib(meta.printed_at)}), sub_style),
        Spacer(1, 6 * mm),
        Paragraph(_escape(_("Ringkasan")), h1),
        grid(
            (_("Uraian"), _("Nilai")),
            [(label, [fmt(v, money)], False) for label, v, money in summary],
        ),
    ]
    for number, section in enumerate(sections, start=1):
        story.append(Paragraph(_escape(f"{number}. {section.title}"), h1))
        for table in section.tables:
            parts: list[Any] = [Paragraph(_escape(table.title), h2)]
            chart = _chart(table, font, width)
            if chart is not None:
                parts.append(chart)
            if table.rows:
                parts.append(
                    grid(
                        table.headers, [(r.label, [fmt(v, table.money) for v in r.values], r.total) for r in table.rows]
                    )
                )
            else:
                parts.append(Paragraph(_escape(_("Tidak ada data.")), body))
            story.append(KeepTogether(parts) if len(table.rows) <= 20 else parts[0])
            if len(table.rows) > 20:
                story.extend(parts[1:])
            story.append(Spacer(1, 3 * mm))
    sign_place = meta.region_name.replace("Kabupaten ", "").replace("Kota ", "")
    story += [
        Spacer(1, 10 * mm),
        KeepTogether(
            [
                Paragraph(
                    _escape(f"{sign_place}, {tanggal(meta.printed_at)}"),
                    ParagraphStyle("s1", parent=body, leftIndent=width * 0.55),
                ),
                Paragraph(
                    _escape(meta.signatory.get("title") or _("Kepala Dinas Koperasi dan UKM")),
                    ParagraphStyle("s2", parent=body, leftIndent=width * 0.55),
                ),
                Spacer(1, 22 * mm),
                Paragraph(
                    f"<u>{_escape(meta.signatory['name'])}</u>"
                    if meta.signatory.get("name")
                    else "________________________",
                    ParagraphStyle("s3", parent=body, fontName=bold, leftIndent=width * 0.55),
                ),
                Paragraph(
                    _escape(f"{_('NIP.')} {meta.signatory.get('nip', '')}".strip()),
                    ParagraphStyle("s4", parent=body, leftIndent=width * 0.55),
                ),
            ]
        ),
    ]
    doc.build(story, canvasmaker=_numbered_canvas_class(meta, font))
    return buf.getvalue()


# --- XLSX -------------------------------------------------------------------------------------


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def render_xlsx(summary: list[tuple[str, int, bool]], sections: list[Section], meta: ReportMeta) -> bytes:

    wb = Workbook()
    used: set[str] = set()
    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="E8EEF5")

    def heading(ws, title: str) -> None:
        xlsx_append(ws, [title])
        ws.cell(ws.max_row, 1).font = title_font
        xlsx_append(ws, [meta.heading])
        xlsx_append(ws, [_("Tahun"), meta.year])
        xlsx_append(ws, [_("Posisi data"), meta.as_of])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
        xlsx_append(ws, [_("Dicetak"), wib(meta.printed_at)])
        xlsx_append(ws, [])
        ws.column_dimensions["A"].width = 48
        for col in "BCD":
            ws.column_dimensions[col].width = 26

    ws = wb.active
    ws.title = _sheet_title(_("Ringkasan"), used)
    heading(ws, _("Laporan Pimpinan Dinas Koperasi dan UKM"))
    xlsx_append(ws, [_("Uraian"), _("Nilai")])
    for c in ws[ws.max_row]:
        c.font, c.fill = bold, fill
    for label, value, money in summary:
        xlsx_append(ws, [label, value])
        ws.cell(ws.max_row, 2).number_format = RUPIAH_FORMAT if money else COUNT_FORMAT

    for section in sections:
        ws = wb.create_sheet(_sheet_title(section.title, used))
        heading(ws, section.title)
        for table in section.tables:
            xlsx_append(ws, [table.title])
            ws.cell(ws.max_row, 1).font = bold
            xlsx_append(ws, list(table.headers))
            for c in ws[ws.max_row]:
                c.font, c.fill = bold, fill
            for row in table.rows:
                xlsx_append(ws, [row.label, *row.values])
                for i in range(len(row.values)):
                    c = ws.cell(ws.max_row, 2 + i)
                    c.number_format = RUPIAH_FORMAT if table.money else COUNT_FORMAT
                    if row.total:
                        c.font = bold
                if row.total:
                    ws.cell(ws.max_row, 1).font = bold
            xlsx_append(ws, [])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
