"""Inline-button data: a compact string scheme, restart-proof and safe against forgery.

Every button's ``callback_data`` is ``<kind>:<field>:<field>...`` (at most 64 bytes, as
Telegram allows). Kinds are short and stable; a change of meaning gets a new kind, so a
button on an old message either still means the same thing or is unknown (and the user is
told the button is out of date). :func:`parse` never raises: anything malformed gives None.

    menu / menu:n             main menu, in place / as a new message (under a lesson)
    more                      the menu's second page (assessment, teams, language, help)
    help / langs              the help text / the language picker
    priv                      what is stored and who sees what (/privacy)
    lang:<code>               choose the interface language
    ser:<page>                list of series, page n
    s:<series>:<page>[:n]     a series' lessons, page n (:n as a new message, from a lesson)
    l:<lesson>                open a lesson
    qs:<lesson>               start (or retake) a lesson's quiz
    qr:<attempt>              show the current question of an unfinished attempt again
    qa:<attempt>:<q>:<pos>    answer question q of an attempt with the option shown at pos
                              (0 = A; the attempt stores the order the options were shown in)
    prog                      progress
    subs                      my subscriptions   subs:n  the same, as a new message (drips)
    sub:<series>              subscribe          sp:<series>  pause
    sr:<series>               resume             su:<series>  unsubscribe
    rc:<series>               a series' recap
    spd:<series>              pause a series from its drip message (confirms in a new message)
    set                       settings           set:<t|d|z|q>  one setting's choices
    st:<minutes>              delivery time      sd:<mask>      delivery days (bit 0 = Mon)
    sz:<n>                    a quick-pick zone  sq:<start>:<end> | sq:off  quiet hours
    szn:<Area/Place>          a zone chosen among places of one name (or an abbreviation)
    ask:<t|z|q>               let me type the time / zone / quiet hours
    rv                        review due cards
    rv:<card>:<n>:<pos>:<ts>  answer card (asked after n reviews) with the option shown at pos
                              (the card stores that order); shown at unix ts
    ab:<verb>:<id>[:<arg>]    an admin's broadcast control (see ADMIN_VERBS); admins only
    as:<a>:<i>:<r>            rate obstacle i of assessment a with r (1-5)
    asb:<a>:<i>               go back to obstacle i      asl:<a>  stop, continue later
    asn / asc                 start: continue the unfinished assessment, or a new one if none
                              (both: never discards answers; asn was "start over" until 2026-12)
    asi                       the assessment's intro (Start / Continue / Start over)
    aso:<a>                   ask to start over, discarding unfinished assessment a
    asx:<a>                   start over, confirmed: discard a (if still open), start anew
    tms                       my teams
    tm:<verb>:<team>          team: r results, l leave (asks), ll leave (confirmed),
                              d delete (asks), dd delete (confirmed)
    md:del / md:yes           /mydata: delete everything / confirmed
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.model import ID_RE

MAX_BYTES = 64


@dataclass(frozen=True)
class Menu:
    new: bool = False  # True: a new message, leaving the pressed one (a lesson) as it is

    def encode(self) -> str:
        return "menu:n" if self.new else "menu"


@dataclass(frozen=True)
class More:
    def encode(self) -> str:
        return "more"


@dataclass(frozen=True)
class Help:
    def encode(self) -> str:
        return "help"


@dataclass(frozen=True)
class Privacy:
    def encode(self) -> str:
        return "priv"


@dataclass(frozen=True)
class Languages:
    def encode(self) -> str:
        return "langs"


@dataclass(frozen=True)
class Language:
    code: str

    def encode(self) -> str:
        return f"lang:{self.code}"


@dataclass(frozen=True)
class SeriesList:
    page: int = 0

    def encode(self) -> str:
        return f"ser:{self.page}"


@dataclass(frozen=True)
class SeriesPage:
    series_id: str
    page: int = 0
    new: bool = False  # as a new message (from a lesson, which stays in the chat)

    def encode(self) -> str:
        return f"s:{self.series_id}:{self.page}" + (":n" if self.new else "")


@dataclass(frozen=True)
class OpenLesson:
    lesson_id: str

    def encode(self) -> str:
        return f"l:{self.lesson_id}"


@dataclass(frozen=True)
class StartQuiz:
    lesson_id: str

    def encode(self) -> str:
        return f"qs:{self.lesson_id}"


@dataclass(frozen=True)
class ResumeQuiz:
    attempt_id: int

    def encode(self) -> str:
        return f"qr:{self.attempt_id}"


@dataclass(frozen=True)
class Answer:
    attempt_id: int
    question: int
    position: int  # where the option was shown: 0 = A

    def encode(self) -> str:
        return f"qa:{self.attempt_id}:{self.question}:{self.position}"


@dataclass(frozen=True)
class Progress:
    def encode(self) -> str:
        return "prog"


@dataclass(frozen=True)
class Subscriptions:
    fresh: bool = False  # True: a new message (under a drip, whose lesson must stay)

    def encode(self) -> str:
        return "subs:n" if self.fresh else "subs"


SUBSCRIPTION_ACTIONS = {"sub": "subscribe", "sp": "pause", "sr": "resume", "su": "unsubscribe"}
_ACTION_KINDS = {action: kind for kind, action in SUBSCRIPTION_ACTIONS.items()}


@dataclass(frozen=True)
class SubscriptionAction:
    action: str  # subscribe, pause, resume, unsubscribe
    series_id: str

    def encode(self) -> str:
        return f"{_ACTION_KINDS[self.action]}:{self.series_id}"


@dataclass(frozen=True)
class PauseFromDrip:
    series_id: str

    def encode(self) -> str:
        return f"spd:{self.series_id}"


@dataclass(frozen=True)
class Recap:
    series_id: str

    def encode(self) -> str:
        return f"rc:{self.series_id}"


SETTINGS_PAGES = ("t", "d", "z", "q")  # time, days, zone, quiet hours


@dataclass(frozen=True)
class Settings:
    page: str | None = None  # None: the overview

    def encode(self) -> str:
        return "set" if self.page is None else f"set:{self.page}"


@dataclass(frozen=True)
class SetTime:
    minutes: int

    def encode(self) -> str:
        return f"st:{self.minutes}"


@dataclass(frozen=True)
class SetDays:
    mask: int

    def encode(self) -> str:
        return f"sd:{self.mask}"


@dataclass(frozen=True)
class SetZone:
    index: int  # into bot.services.schedule.QUICK_ZONES

    def encode(self) -> str:
        return f"sz:{self.index}"


@dataclass(frozen=True)
class SetZoneName:
    zone: str  # an IANA Area/Place name

    def encode(self) -> str:
        return f"szn:{self.zone}"


ZONE_RE = re.compile(r"^[A-Z][A-Za-z_+\-]*(?:/[A-Za-z0-9_+\-]+){1,2}$")


@dataclass(frozen=True)
class SetQuiet:
    start: int | None  # None: quiet hours off
    end: int | None = None

    def encode(self) -> str:
        return "sq:off" if self.start is None else f"sq:{self.start}:{self.end}"


@dataclass(frozen=True)
class AskInput:
    what: str  # t, z, q

    def encode(self) -> str:
        return f"ask:{self.what}"


@dataclass(frozen=True)
class StartReview:
    def encode(self) -> str:
        return "rv"


@dataclass(frozen=True)
class ReviewAnswer:
    card_id: int
    reviews: int
    position: int  # where the option was shown: 0 = A
    shown_at: int  # unix seconds

    def encode(self) -> str:
        return f"rv:{self.card_id}:{self.reviews}:{self.position}:{self.shown_at}"


@dataclass(frozen=True)
class Rate:
    assessment_id: int
    index: int
    rating: int

    def encode(self) -> str:
        return f"as:{self.assessment_id}:{self.index}:{self.rating}"


@dataclass(frozen=True)
class RateBack:
    assessment_id: int
    index: int

    def encode(self) -> str:
        return f"asb:{self.assessment_id}:{self.index}"


@dataclass(frozen=True)
class AssessLater:
    assessment_id: int

    def encode(self) -> str:
        return f"asl:{self.assessment_id}"


@dataclass(frozen=True)
class AssessStart:
    new: bool  # True: start over; False: continue the unfinished one

    def encode(self) -> str:
        return "asn" if self.new else "asc"


@dataclass(frozen=True)
class AssessIntro:
    def encode(self) -> str:
        return "asi"


@dataclass(frozen=True)
class AssessRestart:
    assessment_id: int
    confirmed: bool = False  # False: ask first

    def encode(self) -> str:
        return f"{'asx' if self.confirmed else 'aso'}:{self.assessment_id}"


@dataclass(frozen=True)
class Teams:
    def encode(self) -> str:
        return "tms"


TEAM_VERBS = ("r", "l", "ll", "d", "dd")


@dataclass(frozen=True)
class TeamAction:
    verb: str
    team_id: int

    def encode(self) -> str:
        return f"tm:{self.verb}:{self.team_id}"


@dataclass(frozen=True)
class MyData:
    confirmed: bool

    def encode(self) -> str:
        return "md:yes" if self.confirmed else "md:del"


# verb -> what its argument must look like (None: no argument)
ADMIN_VERBS: dict[str, re.Pattern[str] | None] = {
    "lang": re.compile(r"^(en|ru|uk)$"),  # toggle a language in the audience
    "ser": re.compile(r"^\d{1,2}$"),  # toggle subscribers of the n-th series
    "idle": None,  # cycle the idle filter
    "btn": None,  # cycle the deep-link button (channel announcements)
    "go": None,  # confirm: send now
    "at": re.compile(r"^(60|tm)$"),  # schedule: in an hour / tomorrow 09:00
    "x": None,  # drop the draft
    "p": None,  # pause
    "r": None,  # resume
    "c": None,  # cancel a running broadcast
    "retry": None,  # send again to the failed recipients
    "unc": re.compile(r"^(ask|ok|no)$"),  # resend to the unconfirmed: ask, do it, back
}


@dataclass(frozen=True)
class AdminAction:
    verb: str
    broadcast_id: int
    arg: str | None = None

    def encode(self) -> str:
        tail = f":{self.arg}" if self.arg is not None else ""
        return f"ab:{self.verb}:{self.broadcast_id}{tail}"


Callback = (
    Menu
    | More
    | Help
    | Privacy
    | Languages
    | Language
    | SeriesList
    | SeriesPage
    | OpenLesson
    | StartQuiz
    | ResumeQuiz
    | Answer
    | Progress
    | Subscriptions
    | SubscriptionAction
    | PauseFromDrip
    | Recap
    | Settings
    | SetTime
    | SetDays
    | SetZone
    | SetZoneName
    | SetQuiet
    | AskInput
    | StartReview
    | ReviewAnswer
    | AdminAction
    | Rate
    | RateBack
    | AssessLater
    | AssessStart
    | AssessIntro
    | AssessRestart
    | Teams
    | TeamAction
    | MyData
)

_INT = re.compile(r"^(0|[1-9][0-9]{0,8})$")  # non-negative, no sign, bounded
_TS = re.compile(r"^[1-9][0-9]{9}$")  # unix seconds
MINUTES = range(24 * 60)


def _int(text: str) -> int | None:
    return int(text) if _INT.match(text) else None


def _id(text: str) -> str | None:
    return text if ID_RE.match(text) else None


def parse(data: str | None) -> Callback | None:
    """The button a callback's data names, or None for anything unknown or malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    kind, _, rest = data.partition(":")
    parts = rest.split(":") if rest else []
    match kind, parts:
        case "menu", []:
            return Menu()
        case "menu", ["n"]:
            return Menu(new=True)
        case "more", []:
            return More()
        case "help", []:
            return Help()
        case "priv", []:
            return Privacy()
        case "langs", []:
            return Languages()
        case "prog", []:
            return Progress()
        case "lang", [code] if code in ("en", "ru", "uk"):
            return Language(code)
        case "ser", [page] if _int(page) is not None:
            return SeriesList(_int(page))  # type: ignore[arg-type]
        case "s", [series_id, page, "n"] if _id(series_id) and _int(page) is not None:
            return SeriesPage(series_id, _int(page), new=True)  # type: ignore[arg-type]
        case "s", [series_id, page] if _id(series_id) and _int(page) is not None:
            return SeriesPage(series_id, _int(page))  # type: ignore[arg-type]
        case "l", [lesson_id] if _id(lesson_id):
            return OpenLesson(lesson_id)
        case "qs", [lesson_id] if _id(lesson_id):
            return StartQuiz(lesson_id)
        case "qr", [a] if _int(a) is not None:
            return ResumeQuiz(_int(a))  # type: ignore[arg-type]
        case "qa", [a, q, o] if None not in (_int(a), _int(q), _int(o)):
            return Answer(_int(a), _int(q), _int(o))  # type: ignore[arg-type]
        case "subs", []:
            return Subscriptions()
        case "subs", ["n"]:
            return Subscriptions(fresh=True)
        case ("sub" | "sp" | "sr" | "su") as k, [series_id] if _id(series_id):
            return SubscriptionAction(SUBSCRIPTION_ACTIONS[k], series_id)
        case "rc", [series_id] if _id(series_id):
            return Recap(series_id)
        case "spd", [series_id] if _id(series_id):
            return PauseFromDrip(series_id)
        case "set", []:
            return Settings()
        case "set", [page] if page in SETTINGS_PAGES:
            return Settings(page)
        case "st", [m] if _int(m) in MINUTES:
            return SetTime(_int(m))  # type: ignore[arg-type]
        case "sd", [mask] if _int(mask) in range(1, 128):
            return SetDays(_int(mask))  # type: ignore[arg-type]
        case "sz", [n] if _int(n) is not None:
            return SetZone(_int(n))  # type: ignore[arg-type]
        case "szn", [name] if ZONE_RE.match(name):
            return SetZoneName(name)
        case "sq", ["off"]:
            return SetQuiet(None)
        case "sq", [a, b] if _int(a) in MINUTES and _int(b) in MINUTES and a != b:
            return SetQuiet(_int(a), _int(b))
        case "ask", [what] if what in ("t", "z", "q"):
            return AskInput(what)
        case "rv", []:
            return StartReview()
        case "rv", [c, n, o, ts] if None not in (_int(c), _int(n), _int(o)) and _TS.match(ts):
            return ReviewAnswer(_int(c), _int(n), _int(o), int(ts))  # type: ignore[arg-type]
        case "as", [a, i, r] if None not in (_int(a), _int(i)) and r in ("1", "2", "3", "4", "5"):
            return Rate(_int(a), _int(i), int(r))  # type: ignore[arg-type]
        case "asb", [a, i] if None not in (_int(a), _int(i)):
            return RateBack(_int(a), _int(i))  # type: ignore[arg-type]
        case "asl", [a] if _int(a) is not None:
            return AssessLater(_int(a))  # type: ignore[arg-type]
        case ("asn" | "asc") as k, []:
            return AssessStart(k == "asn")
        case "asi", []:
            return AssessIntro()
        case ("aso" | "asx") as k, [a] if _int(a) is not None:
            return AssessRestart(_int(a), k == "asx")  # type: ignore[arg-type]
        case "tms", []:
            return Teams()
        case "tm", [verb, team] if verb in TEAM_VERBS and _int(team) is not None:
            return TeamAction(verb, _int(team))  # type: ignore[arg-type]
        case "md", ["del" | "yes" as what]:
            return MyData(what == "yes")
        case "ab", [verb, bid, *rest] if verb in ADMIN_VERBS and _int(bid) is not None:
            pattern = ADMIN_VERBS[verb]
            if pattern is None and not rest:
                return AdminAction(verb, _int(bid))  # type: ignore[arg-type]
            if pattern is not None and len(rest) == 1 and pattern.match(rest[0]):
                return AdminAction(verb, _int(bid), rest[0])  # type: ignore[arg-type]
    return None
