"""/templates: the list, and each template as an editable file in the learner's language.

The journey map and the business case are XLSX (openpyxl): styled headers, column widths,
a worked example in grey, formulas (the map's average emotion and count of pain points; the
business case's line totals, totals, net and return on costs) and a "how to fill in" sheet.
The internal customer agreement and the communication plan are DOCX (python-docx):
headings, guidance, tables to fill in with the example row in grey. Every text comes from
``content/data/templates/<id>.yaml``; the layout is here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import WIDE_LABEL, Screen, button, markup, menu_row, shorten
from bot.services.templates import TemplateEntry
from content.templates import Section, Template, TemplateId, TemplateTexts

ICONS = {"xlsx": "📊", "docx": "📝"}


# The screens -----------------------------------------------------------------------------
def templates_screen(t: Translator, templates: Sequence[TemplateEntry]) -> Screen:
    """Every template with a line on what it is for, and a button each that sends its file."""
    lines = [
        t._("📎 <b>Templates</b>"),
        t._(
            "Ready-made files to fill in with your team, in your language: spreadsheets "
            "compute their totals, documents have tables to fill in. Each has a worked "
            "example in grey and a short guide."
        ),
        "",
    ]
    rows = []
    for entry in templates:
        icon = ICONS.get(entry.format, "📄")
        lines.append(f"{icon} <b>{escape(entry.title)}</b> — {escape(entry.summary)}")
        label = shorten(f"{icon} {entry.title}", WIDE_LABEL)
        rows.append([button(label, cb.TemplateFile(entry.id))])
    rows.append(menu_row(t))
    return Screen("\n".join(lines), markup(rows))


def template_caption(template: Template, lang: str) -> str:
    """The document's caption (the texts are plain: escaped for the HTML parse mode)."""
    return escape(template.text(lang).caption)


def template_file(template: Template, lang: str) -> tuple[str, bytes]:
    """The file name (in ``lang``) and the file's bytes."""
    texts = template.text(lang)
    make = {
        TemplateId.JOURNEY_MAP: journey_map,
        TemplateId.BUSINESS_CASE: business_case,
        TemplateId.AGREEMENT: document,
        TemplateId.COMMUNICATION: document,
    }[template.id]
    return f"{texts.filename}.{template.format}", make(texts, lang)


# XLSX ------------------------------------------------------------------------------------
ACCENT = "0D6E99"
GREY_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FILL = PatternFill("solid", fgColor=ACCENT)
TOTAL_FILL = PatternFill("solid", fgColor="DDEEF5")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FONT = Font(italic=True, color="808080")
TITLE_FONT = Font(bold=True, size=16, color=ACCENT)
WRAP = Alignment(wrap_text=True, vertical="top")
MONEY = "#,##0.00"
LINE_MONEY = '#,##0.00;-#,##0.00;""'  # a line's total: blank while the line is empty
BLANK_ROWS = 6  # rows to fill in under a table's examples (XLSX and DOCX)


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in name if c not in "[]:*?/\\")[:31]


def _heading(ws: Worksheet, texts: TemplateTexts, width: int) -> None:
    """The title and the intro across the table's width."""
    last = get_column_letter(width)
    ws["A1"] = texts.title
    ws["A1"].font = TITLE_FONT
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = texts.intro
    ws["A2"].font = Font(italic=True, color="595959")
    ws["A2"].alignment = WRAP
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[2].height = 34


def _header_row(ws: Worksheet, row: int, columns: Sequence[str]) -> None:
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row, col, name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[row].height = 32


def _box(ws: Worksheet, row: int, width: int, example: bool = False) -> None:
    for col in range(1, width + 1):
        cell = ws.cell(row, col)
        cell.border = BOX
        cell.alignment = WRAP
        if example:
            cell.fill = GREY_FILL
            cell.font = EXAMPLE_FONT


def _field(ws: Worksheet, row: int, label: str, value: str = "", last: str = "D") -> None:
    """A labelled line above a table (the customer type, the process...); its value is grey
    when it is an example."""
    ws.cell(row, 1, label).font = Font(bold=True)
    ws.cell(row, 2, value or None)
    ws.merge_cells(f"B{row}:{last}{row}")
    ws.cell(row, 2).border = Border(bottom=THIN)
    if value:
        ws.cell(row, 2).font = EXAMPLE_FONT
        ws.cell(row, 2).fill = GREY_FILL


def _how_to_sheet(wb: Workbook, texts: TemplateTexts) -> None:
    ws = wb.create_sheet(_sheet_name(texts.how_to_title))
    ws["A1"] = texts.how_to_title
    ws["A1"].font = TITLE_FONT
    ws.column_dimensions["A"].width = 110
    for n, line in enumerate(texts.how_to, start=1):
        cell = ws.cell(n + 2, 1, f"{n}. {line}")
        cell.alignment = WRAP
        ws.row_dimensions[n + 2].height = 15 * (1 + len(line) // 100)


def _workbook_bytes(wb: Workbook, texts: TemplateTexts, lang: str) -> bytes:
    wb.properties.title = texts.title
    wb.properties.creator = "CX Coach"
    wb.properties.language = lang
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Where the journey map's parts are (the tests read the same constants).
MAP_WIDTHS = (22, 24, 28, 24, 28, 30, 12, 22, 30)
MAP_HEADER_ROW = 7
MAP_EMOTION_COL = 7  # G: −2..+2
MAP_PAINS_COL = 6  # F
MAP_EXTRA_ROWS = 3  # blank rows after the stages given in advance


def journey_map(texts: TemplateTexts, lang: str) -> bytes:
    """One row per stage (stages given in advance, then blank rows), the example above them
    in grey, the emotion checked (−2..+2) and coloured, and a summary below: the average
    emotion and the number of pain points noted."""
    section = texts.sections[0]
    width = len(section.columns)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(texts.labels["sheet"])
    _heading(ws, texts, width)
    _field(ws, 4, texts.labels["customer"])
    _field(ws, 5, texts.labels["journey"])
    _header_row(ws, MAP_HEADER_ROW, section.columns)
    row = MAP_HEADER_ROW + 1
    for example in section.examples:
        for col, value in enumerate(example, start=1):
            ws.cell(row, col, value)
        _box(ws, row, width, example=True)
        ws.row_dimensions[row].height = 45
        row += 1
    first = row
    for stage in [*section.rows, *[""] * MAP_EXTRA_ROWS]:
        ws.cell(row, 1, stage or None).font = Font(bold=True)
        _box(ws, row, width)
        ws.row_dimensions[row].height = 45
        row += 1
    last = row - 1
    emotion = get_column_letter(MAP_EMOTION_COL)
    pains = get_column_letter(MAP_PAINS_COL)
    scores = f"{emotion}{first}:{emotion}{last}"
    check = DataValidation(type="whole", operator="between", formula1="-2", formula2="2",
                           allow_blank=True, showErrorMessage=True)  # fmt: skip
    check.error = texts.labels["score_error"]
    check.add(scores)
    ws.add_data_validation(check)
    ws.conditional_formatting.add(
        scores,
        ColorScaleRule(start_type="num", start_value=-2, start_color="F8696B",
                       mid_type="num", mid_value=0, mid_color="FFEB84",
                       end_type="num", end_value=2, end_color="63BE7B"),
    )  # fmt: skip
    summary = last + 2
    ws.cell(summary, 1, texts.labels["average"]).font = Font(bold=True)
    average = ws.cell(summary, 2, f'=IFERROR(AVERAGE({scores}),"")')
    average.number_format = "0.0"
    ws.cell(summary + 1, 1, texts.labels["pains"]).font = Font(bold=True)
    ws.cell(summary + 1, 2, f"=COUNTA({pains}{first}:{pains}{last})")
    for col in (1, 2):
        for r in (summary, summary + 1):
            ws.cell(r, col).fill = TOTAL_FILL
            ws.cell(r, col).border = BOX
    ws.freeze_panes = ws.cell(MAP_HEADER_ROW + 1, 2)
    return _finish(wb, ws, texts, lang, MAP_WIDTHS[:width])


# Where the business case's parts are: columns A item, B quantity, C unit value, D total
# (=B*C), E assumption; per side a heading, the header row, the examples, blank rows and
# the total; then the net and the return on costs.
CASE_WIDTHS = (42, 12, 16, 16, 52)
CASE_FIRST_SIDE = 8  # the costs' heading row


def business_case(texts: TemplateTexts, lang: str) -> bytes:
    """Costs and revenue side by side in time: each line quantity × unit value, each side
    totalled, the net (revenue and savings − costs) and the return on costs (net ÷ costs).
    The grey example rows are counted, so the sheet shows a worked result at once."""
    labels = texts.labels
    width = len(texts.sections[0].columns)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(labels["sheet"])
    _heading(ws, texts, width)
    _field(ws, 4, labels["process"], labels["example_process"], last="E")
    _field(ws, 5, labels["period"], labels["example_period"], last="E")
    _field(ws, 6, labels["currency"], last="E")
    row = CASE_FIRST_SIDE
    totals = []
    for section in texts.sections[:2]:
        totals.append(_side(ws, row, section))
        row = totals[-1] + 2
    costs, benefits = totals
    net, roi = row, row + 1
    ws.cell(net, 1, labels["net"])
    ws.cell(net, 4, f"=D{benefits}-D{costs}").number_format = MONEY
    ws.cell(roi, 1, labels["roi"])
    ws.cell(roi, 4, f'=IF(D{costs}=0,"",D{net}/D{costs})').number_format = "0.0%"
    for r in (net, roi):
        for col in (1, 2, 3, 4):
            ws.cell(r, col).fill = TOTAL_FILL
            ws.cell(r, col).border = BOX
            ws.cell(r, col).font = Font(bold=True, size=12 if r == net else 11)
    return _finish(wb, ws, texts, lang, CASE_WIDTHS[:width])


def _finish(
    wb: Workbook, ws: Worksheet, texts: TemplateTexts, lang: str, widths: tuple[int, ...]
) -> bytes:
    """Column widths, a landscape page one sheet wide, the how-to sheet; the file."""
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _how_to_sheet(wb, texts)
    return _workbook_bytes(wb, texts, lang)


def _side(ws: Worksheet, row: int, section: Section) -> int:
    """One side from ``row``: heading, header, examples, blank rows, total; the total's row."""
    width = len(section.columns)
    ws.cell(row, 1, section.heading).font = Font(bold=True, size=13, color=ACCENT)
    _header_row(ws, row + 1, section.columns)
    first = row + 2
    lines = [*section.examples, *[None] * BLANK_ROWS]
    for r, example in enumerate(lines, start=first):
        if example is not None:
            for col, value in enumerate(example, start=1):
                if col != 4 and value != "":
                    ws.cell(r, col, value)
        ws.cell(r, 4, f"=B{r}*C{r}").number_format = LINE_MONEY
        ws.cell(r, 3).number_format = MONEY
        _box(ws, r, width, example=example is not None)
        ws.row_dimensions[r].height = 30 if example is not None else 18
    last = first + len(lines) - 1
    total = last + 1
    ws.cell(total, 1, section.total).font = Font(bold=True)
    cell = ws.cell(total, 4, f"=SUM(D{first}:D{last})")
    cell.number_format = MONEY
    cell.font = Font(bold=True)
    for col in range(1, width + 1):
        ws.cell(total, col).fill = TOTAL_FILL
        ws.cell(total, col).border = BOX
    return total


# DOCX ------------------------------------------------------------------------------------
DOC_ACCENT = RGBColor(0x0D, 0x6E, 0x99)
DOC_GREY = RGBColor(0x80, 0x80, 0x80)
DOC_MUTED = RGBColor(0x59, 0x59, 0x59)
LOCALES = {"en": "en-GB", "ru": "ru-RU", "uk": "uk-UA"}
WIDE_TABLE = 5  # columns from which a document is laid out in landscape


def document(texts: TemplateTexts, lang: str) -> bytes:
    """A document: the title, the intro, how to fill it in, then each section: its heading,
    guidance, and a table to fill in (examples in grey, rows named in advance, or blank
    rows) or a numbered list."""
    doc = Document()
    _doc_defaults(doc, lang)
    if max(len(s.columns) for s in texts.sections) >= WIDE_TABLE:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
        footer = section.footer.paragraphs[0]
        run = footer.add_run("CX Coach")
        run.font.size = Pt(8)
        run.font.color.rgb = DOC_GREY

    title = doc.add_heading(texts.title, level=0)
    title.runs[0].font.color.rgb = DOC_ACCENT
    intro = doc.add_paragraph(texts.intro)
    intro.runs[0].font.color.rgb = DOC_MUTED

    doc.add_heading(texts.how_to_title, level=2)
    _numbered(doc, texts.how_to)

    for part in texts.sections:
        doc.add_heading(part.heading, level=1)
        if part.guidance:
            guidance = doc.add_paragraph()
            run = guidance.add_run(part.guidance)
            run.italic = True
            run.font.color.rgb = DOC_MUTED
        if part.columns:
            _table(doc, part)
        if part.items:
            _numbered(doc, part.items)

    doc.core_properties.title = texts.title
    doc.core_properties.author = "CX Coach"
    doc.core_properties.language = LOCALES.get(lang, lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _doc_defaults(doc, lang: str) -> None:
    """A readable body font, and the text's language (for spelling and hyphenation)."""
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), "Calibri")
    fonts.set(qn("w:eastAsia"), "Calibri")
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LOCALES.get(lang, lang))
    normal.element.get_or_add_rPr().append(language)


def _numbered(doc, lines: Sequence[str]) -> None:
    """Numbered lines, numbers written out (so each list starts at 1 in every editor)."""
    for n, line in enumerate(lines, start=1):
        paragraph = doc.add_paragraph(f"{n}. {line}")
        paragraph.paragraph_format.left_indent = Cm(0.6)
        paragraph.paragraph_format.first_line_indent = Cm(-0.6)
        paragraph.paragraph_format.space_after = Pt(3)


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _table(doc, part: Section) -> None:
    blank = [] if part.rows else [""] * BLANK_ROWS
    body = [*part.rows, *blank]
    table = doc.add_table(rows=1 + len(part.examples) + len(body), cols=len(part.columns))
    table.style = "Table Grid"
    for col, name in enumerate(part.columns):
        cell = table.rows[0].cells[col]
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, "0D6E99")
    for r, example in enumerate(part.examples, start=1):
        for col, value in enumerate(example):
            cell = table.rows[r].cells[col]
            run = cell.paragraphs[0].add_run(str(value))
            run.italic = True
            run.font.color.rgb = DOC_GREY
            _shade(cell, "F2F2F2")
    for r, label in enumerate(body, start=1 + len(part.examples)):
        row = table.rows[r]
        row.height = Cm(1.1)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if label:
            row.cells[0].paragraphs[0].add_run(label).bold = True
    doc.add_paragraph()
