"""/templates end to end: the list, each file in the learner's language, a forged button."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from content.templates import templates
from tests.e2e.assessing import greeted
from tests.e2e.steps import labels, next_toast, plain


async def test_the_list_and_a_spreadsheet_and_a_document_in_russian(harness):
    user = await greeted(harness, 5001, "Олена", language="ru")
    await user.send("/templates")
    listing = await user.next_message()
    assert "Шаблоны" in listing.text
    assert labels(listing) == [
        "📊 Карта пути клиента",
        "📊 Бизнес-кейс клиентского процесса",
        "📝 Соглашение с внутренним клиентом",
        "📝 План коммуникаций со стейкхолдерами",
        "🏠 Меню",
    ]

    await user.press(listing, "📊 Карта пути клиента")
    sheet = await user.next_message()
    assert sheet.kind == "document" and sheet.file.file_name == "карта-пути-клиента.xlsx"
    assert sheet.caption.startswith("Карта пути клиента (XLSX).")
    wb = load_workbook(io.BytesIO(sheet.file_bytes))
    assert wb.sheetnames == ["Карта пути", "Как заполнять"]
    headers = [c.value for c in wb["Карта пути"][7]]
    assert headers[:3] == ["Этап", "Цель клиента", "Что делает клиент"]

    await user.press(listing, "📝 Соглашение с внутренним клиентом")
    doc = await user.next_message()
    assert doc.file.file_name == "соглашение-с-внутренним-клиентом.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.file_bytes)).paragraphs)
    assert "3. Как решаются разногласия" in text and "4. Пересмотр и подписи" in text
    await harness.settle()
    user.assert_no_event()  # the list stays as it was: any template again, in one press


async def test_every_template_arrives_in_english_with_its_caption(harness):
    user = await greeted(harness, 5002)
    await user.send("/templates")
    listing = await user.next_message()
    for template in templates().values():
        texts = template.text("en")
        icon = "📊" if template.format == "xlsx" else "📝"
        await user.press(listing, f"{icon} {texts.title}")
        sent = await user.next_message()
        assert sent.file.file_name == f"{texts.filename}.{template.format}"
        assert sent.caption == plain(texts.caption)
        assert sent.file_bytes.startswith(b"PK")  # both are zip packages


async def test_a_forged_template_button_is_gone_politely(harness):
    user = await greeted(harness, 5003)
    await user.send("/templates")
    listing = await user.next_message()
    await user.press_raw(listing, "tpl:no-such-template")
    assert await next_toast(user) == "This template is no longer available."
    menu = await user.next_message()
    assert "out of date" in menu.text and "📚 Lessons" in labels(menu)  # the whole menu
    await user.press_raw(listing, "tpl:Bad_Id")  # not even a template id: out of date
    assert await next_toast(user) == "That button is out of date."
    await harness.settle()
    user.assert_no_event()
