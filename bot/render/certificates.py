"""Certificates: the screens (the name to print, the certificate sent, /certificates,
/verify) and the certificate itself as a PDF (fpdf2) and a PNG (matplotlib), A4 landscape."""

from __future__ import annotations

import io

from fpdf import FPDF

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.kit import WIDE_LABEL, Screen, button, local_date, markup, shorten
from bot.render.plan import ACCENT, FONT, INK, MUTED, RULE, bare, drawable, font_files
from bot.services.certificates import NAME_LIMIT, Issued, Request, Verification
from content.model import SeriesContent

A4_LANDSCAPE_MM = (297, 210)


def verify_line(code: str, bot_username: str | None) -> str:
    """How anyone checks the certificate: the deep link, or the command."""
    if bot_username:
        return f"Verify: t.me/{bot_username}?start=v_{code}"
    return f"Verify: /verify {code}"


def _title(series: SeriesContent) -> str:
    return bare(series.series.title)


def _done_rows(t: Translator, series: SeriesContent) -> list:
    return [
        [button(t._("✏️ Change the name"), cb.CertRename(series.id))],
        [button(t._("🎓 My certificates"), cb.CertList()), button(t._("🏠 Menu"), cb.Menu())],
    ]


def ask_name_screen(t: Translator, series: SeriesContent, first_name: str, rename: bool) -> Screen:
    """Which name to print: typed, or the Telegram first name in one tap."""
    lines = [
        t._("🎓 <b>Certificate: «{title}»</b>", title=_title(series)),
        "",
        t._("Type a new name to print on it (up to {limit} characters), the code stays.",
            limit=NAME_LIMIT)
        if rename
        else t._("Type the name to print on your certificate (up to {limit} characters).",
                 limit=NAME_LIMIT),
    ]  # fmt: skip
    rows = []
    name = first_name.strip()
    if name:
        lines.append(t._("Or use the name from your Telegram profile:"))
        rows.append([button(shorten(f"✅ {name}", WIDE_LABEL), cb.CertFirstName(series.id))])
    rows.append([button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), markup(rows))


def request_screen(t: Translator, request: Request, first_name: str) -> Screen:
    """The certificate button's answer when no files are sent: the name question, or the
    series still to finish."""
    if request.unfinished:
        text = t._(
            "The certificate for «{title}» comes once every lesson's quiz in the series is "
            "finished. Go on with the series:",
            title=_title(request.series),
        )
        rows = [
            [button(t._("⬅️ Back to the series"), cb.SeriesPage(request.series.id, 0))],
            [button(t._("🏠 Menu"), cb.Menu())],
        ]
        return Screen(text, markup(rows))
    return ask_name_screen(t, request.series, first_name, request.rename)


def invalid_name_screen(t: Translator) -> Screen:
    return Screen(
        t._("The name should be from 1 to {limit} characters of plain text. Please type it "
            "again.", limit=NAME_LIMIT),
        markup([[button(t._("🏠 Menu"), cb.Menu())]]),
    )  # fmt: skip


def name_gone_screen(t: Translator) -> Screen:
    return Screen(
        t._("This series is no longer available, so no certificate can be issued for it."),
        markup([[button(t._("🏠 Menu"), cb.Menu())]]),
    )


def issued_screen(t: Translator, issued: Issued, bot_username: str | None) -> Screen:
    """After the files: what was done, the code and how to verify it, change the name."""
    cert = issued.certificate
    if issued.renamed:
        head = t._("✏️ Name changed: the certificate now reads {name}. The code stays the same.",
                   name=cert.name)  # fmt: skip
    elif issued.new:
        head = t._("🎓 <b>Congratulations!</b> Here is your certificate for «{title}».",
                   title=_title(issued.series))  # fmt: skip
    else:
        head = t._("🎓 Your certificate for «{title}», issued to {name}.",
                   title=_title(issued.series), name=cert.name)  # fmt: skip
    lines = [
        head,
        "",
        t._("Code: <code>{code}</code>", code=cert.code),
        t._("Anyone can check it: {how}", how=verify_line(cert.code, bot_username)),
    ]
    return Screen("\n".join(lines), markup(_done_rows(t, issued.series)))


def certificates_screen(t: Translator, issued: list[Issued]) -> Screen:
    """/certificates: each certificate, with a button to get its files again."""
    if not issued:
        text = t._("🎓 No certificates yet. Finish every lesson's quiz in a series to earn one.")
        return Screen(text, markup([[button(t._("📚 Lessons"), cb.SeriesList(0)),
                                     button(t._("🏠 Menu"), cb.Menu())]]))  # fmt: skip
    lines = [t._("🎓 <b>Your certificates</b>"), ""]
    rows = []
    for item in issued:
        lines.append(
            t._("«{title}»: {name}, {date}, code <code>{code}</code>",
                title=_title(item.series), name=item.certificate.name,
                date=local_date(t, item.certificate.issued_at, item.tz),
                code=item.certificate.code)
        )  # fmt: skip
        rows.append([button(shorten(f"📄 {_title(item.series)}", WIDE_LABEL),
                            cb.CertGet(item.series.id))])  # fmt: skip
    lines += ["", t._("Tap a certificate to get its files again.")]
    rows.append([button(t._("🏠 Menu"), cb.Menu())])
    return Screen("\n".join(lines), markup(rows))


def verification_screen(t: Translator, verification: Verification) -> Screen:
    """/verify and v_<code>: name, series and date only; or no such certificate."""
    cert, series = verification.certificate, verification.series
    if cert is not None and series is not None:
        text = t._(
            "✅ Valid: {name} finished «{title}» on {date}.",
            name=cert.name,
            title=_title(series),
            date=local_date(t, cert.issued_at, verification.tz),
        )
    else:
        text = t._(
            "Sorry, there is no certificate with this code. Please check the code and try "
            "again: /verify followed by the code."
        )
    return Screen(text, markup([[button(t._("🏠 Menu"), cb.Menu())]]))


def verify_usage_screen(t: Translator) -> Screen:
    return Screen(
        t._("To check a certificate, send /verify followed by its code, e.g. /verify "
            "ABCD234XYZ."),
        markup([[button(t._("🏠 Menu"), cb.Menu())]]),
    )  # fmt: skip


def file_caption(t: Translator, issued: Issued) -> str:
    return t._("🎓 Certificate: «{title}»", title=_title(issued.series))


def file_stem(t: Translator, issued: Issued) -> str:
    return f"certificate-{issued.series.id}-{issued.certificate.code}"


def _lines(t: Translator, issued: Issued, bot_username: str | None) -> dict[str, str]:
    cert = issued.certificate
    return {
        "heading": str(t._("Certificate of completion")),
        "intro": str(t._("This certifies that")),
        "name": drawable(cert.name) or cert.name,
        "finished": str(t._("has finished the CX Coach series")),
        "series": f"«{drawable(_title(issued.series))}»",
        "date": local_date(t, cert.issued_at, issued.tz),
        "code": str(t._("Code: {code}")).format(code=cert.code),
        "verify": verify_line(cert.code, bot_username),
    }


def certificate_pdf(t: Translator, issued: Issued, bot_username: str | None) -> bytes:
    """The certificate as a one-page A4-landscape PDF (DejaVu: Cyrillic included)."""
    text = _lines(t, issued, bot_username)
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    for style, path in font_files().items():
        pdf.add_font(FONT, style, str(path))
    pdf.set_auto_page_break(False)
    pdf.set_title(text["heading"])
    pdf.set_creator("CX Coach")
    pdf.set_lang(t.lang)
    pdf.add_page()
    w, h = A4_LANDSCAPE_MM
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, w - 20, h - 20)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, w - 28, h - 28)

    def line(y: float, value: str, size: float, style: str = "", color=INK) -> None:
        pdf.set_xy(20, y)
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(w - 40, size * 0.45, value, align="C")

    line(32, text["heading"].upper(), 30, "B", ACCENT)
    line(62, text["intro"], 14, "", MUTED)
    line(76, text["name"], 28, "B")
    line(100, text["finished"], 14, "", MUTED)
    line(114, text["series"], 20, "B", ACCENT)
    line(142, text["date"], 13)
    line(166, text["code"], 11, "", MUTED)
    line(174, text["verify"], 11, "", MUTED)
    return bytes(pdf.output())


def certificate_png(t: Translator, issued: Issued, bot_username: str | None) -> bytes:
    """The certificate as an A4-landscape PNG (matplotlib's Agg, DejaVu Sans)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    text = _lines(t, issued, bot_username)
    w, h = A4_LANDSCAPE_MM
    fig = Figure(figsize=(w / 25.4, h / 25.4), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.axis("off")
    accent = tuple(c / 255 for c in ACCENT)
    rule = tuple(c / 255 for c in RULE)
    ink = tuple(c / 255 for c in INK)
    muted = tuple(c / 255 for c in MUTED)
    ax.add_patch(Rectangle((10, 10), w - 20, h - 20, fill=False, lw=3, ec=accent))
    ax.add_patch(Rectangle((14, 14), w - 28, h - 28, fill=False, lw=1, ec=rule))
    font = {"family": "DejaVu Sans", "ha": "center", "va": "center"}
    ax.text(w / 2, 40, text["heading"].upper(), fontsize=30, weight="bold", color=accent, **font)
    ax.text(w / 2, 66, text["intro"], fontsize=14, color=muted, **font)
    ax.text(w / 2, 84, text["name"], fontsize=28, weight="bold", color=ink, **font)
    ax.text(w / 2, 104, text["finished"], fontsize=14, color=muted, **font)
    ax.text(w / 2, 120, text["series"], fontsize=20, weight="bold", color=accent, wrap=True,
            **font)  # fmt: skip
    ax.text(w / 2, 146, text["date"], fontsize=13, color=ink, **font)
    ax.text(w / 2, 170, text["code"], fontsize=11, color=muted, **font)
    ax.text(w / 2, 178, text["verify"], fontsize=11, color=muted, **font)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, facecolor="white")
    return out.getvalue()
