"""/templates: every template in every language, alike; each file opens and holds its texts;
the business case computes its net; a forged id is Gone."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from bot import callbacks as cb
from bot.i18n import LANGUAGES, translator
from bot.render.templates import (
    MAP_EMOTION_COL,
    MAP_HEADER_ROW,
    MAP_PAINS_COL,
    template_caption,
    template_file,
    templates_screen,
)
from bot.services import templates as service
from bot.services.env import Env, Gone
from content.loader import load
from content.templates import (
    TEMPLATES_DIR,
    Template,
    TemplateError,
    TemplateId,
    load_templates,
    shape,
    templates,
)
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_every_template_has_every_language_in_the_same_structure():
    found = templates()
    assert list(found) == [
        "journey-map", "business-case", "internal-agreement", "communication-plan"
    ]  # fmt: skip
    assert set(found) == set(TemplateId)
    for template in found.values():
        assert set(template.texts) == set(LANGUAGES)
        english = shape(template.texts["en"])
        for lang in LANGUAGES:
            texts = template.texts[lang]
            assert shape(texts) == english, (template.id, lang)
            assert texts.filename and texts.title and texts.caption
        # translated, not copied: the texts differ between languages
        titles = {template.texts[lang].title for lang in LANGUAGES}
        assert len(titles) == 3, titles
        # Ukrainian uses its own letters and apostrophe, never Russian-only letters
        uk = template.texts["uk"].model_dump_json()
        assert not re.search(r"[ыэъё]", uk, re.IGNORECASE), template.id
        assert "'" not in uk


def test_a_template_whose_languages_differ_is_refused(tmp_path):
    text = (TEMPLATES_DIR / "journey-map.yaml").read_text(encoding="utf-8")
    broken = text.replace('          - "Renews or leaves"\n', "", 1)  # en loses a stage
    assert broken != text
    for path in TEMPLATES_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "journey-map.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(TemplateError, match="not the same structure"):
        load_templates(tmp_path)
    (tmp_path / "journey-map.yaml").unlink()
    with pytest.raises(TemplateError, match="no file for journey-map"):
        load_templates(tmp_path)


def _xlsx(template: Template, lang: str):
    name, data = template_file(template, lang)
    assert name == f"{template.text(lang).filename}.xlsx"
    return load_workbook(io.BytesIO(data))


def _docx(template: Template, lang: str):
    name, data = template_file(template, lang)
    assert name == f"{template.text(lang).filename}.docx"
    return Document(io.BytesIO(data))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_journey_map_opens_with_its_headers_stages_and_formulas(lang):
    template = templates()["journey-map"]
    texts = template.text(lang)
    wb = _xlsx(template, lang)
    assert wb.sheetnames == [texts.labels["sheet"], texts.how_to_title]
    ws = wb[texts.labels["sheet"]]
    section = texts.sections[0]
    header = [ws.cell(MAP_HEADER_ROW, c).value for c in range(1, len(section.columns) + 1)]
    assert header == section.columns
    assert ws.cell(MAP_HEADER_ROW, 1).font.bold
    example = ws.cell(MAP_HEADER_ROW + 1, 1)
    assert example.value == section.examples[0][0]
    assert example.fill.fgColor.rgb.endswith("F2F2F2") and example.font.color.rgb.endswith("808080")
    first = MAP_HEADER_ROW + 2
    stages = [ws.cell(first + i, 1).value for i in range(len(section.rows))]
    assert stages == section.rows
    formulas = {ws.cell(r, 2).value: ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}
    last = first + len(section.rows) + 2  # three blank rows after the stages
    average = f'=IFERROR(AVERAGE(G{first}:G{last}),"")'
    assert formulas[average] == texts.labels["average"]
    assert formulas[f"=COUNTA(F{first}:F{last})"] == texts.labels["pains"]
    assert (MAP_EMOTION_COL, MAP_PAINS_COL) == (7, 6)
    (check,) = ws.data_validations.dataValidation
    assert (check.formula1, check.formula2) == ("-2", "2")
    assert str(check.sqref) == f"G{first}:G{last}"
    assert ws.column_dimensions["A"].width > 15 and ws.freeze_panes == f"B{MAP_HEADER_ROW + 1}"
    how_to = wb[texts.how_to_title]
    assert how_to["A3"].value == f"1. {texts.how_to[0]}"


def evaluate(ws, ref: str):
    """The value of a cell, computing the business case's few kinds of formula."""
    value = ws[ref].value
    if not isinstance(value, str) or not value.startswith("="):
        return value or 0
    formula = value[1:]
    if m := re.fullmatch(r"([A-Z]+\d+)\*([A-Z]+\d+)", formula):
        return evaluate(ws, m[1]) * evaluate(ws, m[2])
    if m := re.fullmatch(r"SUM\(([A-Z])(\d+):\1(\d+)\)", formula):
        return sum(evaluate(ws, f"{m[1]}{r}") for r in range(int(m[2]), int(m[3]) + 1))
    if m := re.fullmatch(r"([A-Z]+\d+)-([A-Z]+\d+)", formula):
        return evaluate(ws, m[1]) - evaluate(ws, m[2])
    if m := re.fullmatch(r'IF\(([A-Z]+\d+)=0,"",([A-Z]+\d+)/\1\)', formula):
        costs = evaluate(ws, m[1])
        return "" if costs == 0 else evaluate(ws, m[2]) / costs
    raise AssertionError(f"unexpected formula {value}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_business_case_computes_both_sides_and_the_net(lang):
    template = templates()["business-case"]
    texts = template.text(lang)
    ws = _xlsx(template, lang)[texts.labels["sheet"]]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    costs, benefits = texts.sections
    for side in (costs, benefits):
        heading = rows[side.heading]
        assert [ws.cell(heading + 1, c).value for c in range(1, 6)] == side.columns
        first = heading + 2
        for n, example in enumerate(side.examples):
            assert ws.cell(first + n, 1).value == example[0]
            assert ws.cell(first + n, 4).value == f"=B{first + n}*C{first + n}"
        total = rows[side.total]
        assert ws.cell(total, 4).value == f"=SUM(D{first}:D{total - 1})"
    net, roi = rows[texts.labels["net"]], rows[texts.labels["roi"]]
    assert ws.cell(net, 4).value == f"=D{rows[benefits.total]}-D{rows[costs.total]}"
    assert evaluate(ws, f"D{rows[costs.total]}") == 41_000
    assert evaluate(ws, f"D{rows[benefits.total]}") == 48_500
    assert evaluate(ws, f"D{net}") == 7_500
    assert round(evaluate(ws, f"D{roi}"), 4) == round(7_500 / 41_000, 4)
    assert ws.cell(roi, 4).number_format == "0.0%"
    assert rows[texts.labels["process"]] < rows[costs.heading]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template_id", ["internal-agreement", "communication-plan"])
def test_the_documents_open_with_headings_tables_and_guidance(lang, template_id):
    template = templates()[template_id]
    texts = template.text(lang)
    doc = _docx(template, lang)
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == texts.title and doc.core_properties.title == texts.title
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [texts.how_to_title, *(s.heading for s in texts.sections)]
    assert f"1. {texts.how_to[0]}" in paragraphs
    tables = iter(doc.tables)
    for section in texts.sections:
        if section.guidance:
            assert section.guidance in paragraphs
        for n, item in enumerate(section.items, start=1):
            assert f"{n}. {item}" in paragraphs
        if not section.columns:
            continue
        table = next(tables)
        assert [c.text for c in table.rows[0].cells] == section.columns
        for n, example in enumerate(section.examples, start=1):
            assert [c.text for c in table.rows[n].cells] == [str(v) for v in example]
        labels = [row.cells[0].text for row in table.rows[1 + len(section.examples) :]]
        assert labels[: len(section.rows)] == section.rows and len(labels) >= 2


def test_the_agreement_covers_what_an_agreement_needs():
    texts = templates()["internal-agreement"].text("en")
    words = texts.model_dump_json().lower()
    for needed in ("supplier", "internal customer", "quality", "time", "disagreement", "review"):
        assert needed in words, needed


def test_the_list_screen_has_a_button_per_template():
    entries = service.entries(templates(), "uk")
    screen = templates_screen(translator("uk"), entries)
    labels = [(b.text, b.callback_data) for row in screen.keyboard.inline_keyboard for b in row]
    assert labels[0] == ("📊 Карта шляху клієнта", "tpl:journey-map")
    assert ("📝 Угода з внутрішнім клієнтом", "tpl:internal-agreement") in labels
    assert labels[-1] == ("🏠 Меню", "menu") and len(labels) == 5
    assert "Шаблони" in screen.text
    assert template_caption(templates()["business-case"], "uk").startswith("Двобічний")
    assert cb.parse("tpl:journey-map") == cb.TemplateFile("journey-map")


async def test_a_forged_or_retired_id_is_gone():
    env = Env(HermeticSettings(), None, load().catalog, lambda: NOW)  # type: ignore[arg-type]
    found = await service.get_template(env, None, "en", "business-case")  # type: ignore[arg-type]
    assert found.id is TemplateId.BUSINESS_CASE
    with pytest.raises(Gone) as raised:
        await service.get_template(env, None, "en", "no-such-template")  # type: ignore[arg-type]
    assert raised.value.what == "template"
