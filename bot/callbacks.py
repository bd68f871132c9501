"""Inline-button data: a compact string scheme, restart-proof and safe against forgery.

Every button's ``callback_data`` is ``<kind>:<field>:<field>...`` (at most 64 bytes, as
Telegram allows). Kinds are short and stable; a change of meaning gets a new kind, so a
button on an old message either still means the same thing or is unknown (and the user is
told the button is out of date). :func:`parse` never raises: anything malformed gives None.

Each kind below is declared once, as a :class:`Callback` subclass naming its prefix and its
fields' domains; its ``encode()``, its parsing, its 64-byte check and its handler ``pattern``
are derived from that declaration. The encodings:

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
    p90                       /plan: send the 90-day plan as a PDF
    tpl:<template>            /templates: send a template's file (XLSX or DOCX)
    al:<page>[:n]             /stats: lesson analytics, page n (:n as a new message)
    ald:<lesson>:<page>       /stats: one lesson's figures (back to page n); admins only
    alc                       /stats: the lessons' chart (admins only)
    tml:<team>:<page>[:n]     a team's lessons, page n (the manager only; :n new message)
    tmd:<team>:<lesson>:<p>   a team's figures on one lesson (the manager only)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Annotated, Any, ClassVar, Self, dataclass_transform, get_type_hints

from content.model import ID_RE

MAX_BYTES = 64


class Domain:
    """What a field may hold: ``text(value)`` writes a value, ``value(text)`` reads it back,
    both raising ValueError outside the domain. A text of None is left out (trailing fields)."""

    def pick(self, values: dict[str, Any]) -> Domain:
        return self  # Given: the domain the earlier fields' values select

    def text(self, value: Any) -> str | None:
        raise NotImplementedError

    def value(self, text: str | None) -> Any:
        raise NotImplementedError


_DIGITS = re.compile(r"0|[1-9][0-9]*")  # no sign, no leading zeros


@dataclass(frozen=True)
class Int(Domain):
    values: range = range(10**9)  # by default non-negative, at most 9 digits

    def text(self, value: Any) -> str:
        if type(value) is not int or value not in self.values:
            raise ValueError(f"{value!r} is not in {self.values}")
        return str(value)

    def value(self, text: str | None) -> int:
        if text is None or not _DIGITS.fullmatch(text) or int(text) not in self.values:
            raise ValueError(f"{text!r} is not in {self.values}")
        return int(text)


@dataclass(frozen=True)
class Text(Domain):
    pattern: re.Pattern[str]

    def text(self, value: Any) -> str:
        if not isinstance(value, str) or not self.pattern.fullmatch(value):
            raise ValueError(f"{value!r} does not match {self.pattern.pattern}")
        return value

    value = text


class Choice(Domain):
    """A few values, each with its token: ``Choice("en", "ru")`` or ``Choice({"yes": True})``."""

    def __init__(self, *tokens: str | Mapping[str | None, Any]) -> None:
        one = tokens[0] if len(tokens) == 1 else None
        self.values = dict(one) if isinstance(one, Mapping) else {t: t for t in tokens}
        self.tokens = {value: token for token, value in self.values.items()}

    def text(self, value: Any) -> str | None:
        if value not in self.tokens:
            raise ValueError(f"{value!r} is not one of {list(self.tokens)}")
        return self.tokens[value]

    def value(self, text: str | None) -> Any:
        if text not in self.values:
            raise ValueError(f"{text!r} is not one of {list(self.values)}")
        return self.values[text]


class Flag(Choice):
    """True written as the token, False left out."""

    def __init__(self, token: str) -> None:
        super().__init__({None: False, token: True})


class Prefix(Choice):
    """A field written as the kind itself (``sub:`` / ``sp:``...), not after it."""


NOTHING = Choice({None: None})  # no value, nothing written


@dataclass(frozen=True)
class Maybe(Domain):
    inner: Domain
    token: str | None = None  # None's text; by default left out

    def text(self, value: Any) -> str | None:
        return self.token if value is None else self.inner.text(value)

    def value(self, text: str | None) -> Any:
        return None if text == self.token else self.inner.value(text)


class Given(Domain):
    """A domain chosen by an earlier field's value: a Domain, a pattern (Text) or None."""

    def __init__(self, field: str, cases: Mapping[Any, Domain | re.Pattern[str] | None]) -> None:
        self.field = field
        self.cases = {
            key: NOTHING if case is None else Text(case) if isinstance(case, re.Pattern) else case
            for key, case in cases.items()
        }

    def pick(self, values: dict[str, Any]) -> Domain:
        return self.cases[values[self.field]]


KINDS: list[type[Callback]] = []  # every kind, in declaration order
_BY_PREFIX: dict[str, list[type[Callback]]] = {}


@dataclass_transform(frozen_default=True)
class Callback:
    """A kind of button, declared once: ``class Rate(Callback, prefix="as")`` with each field
    annotated ``Annotated[type, Domain]``. The kind becomes a frozen dataclass whose data is
    ``<prefix>:<field>:...`` in field order (a Prefix field is written as the kind itself;
    trailing fields whose text is None are left out). ``encode()`` refuses values outside
    their domains and data over 64 bytes, parsing accepts exactly what it writes, and
    ``pattern`` routes the kind's presses. Override ``valid()`` for a rule between fields."""

    domains: ClassVar[dict[str, Domain]]  # each field's, in order
    prefixes: ClassVar[tuple[str, ...]]
    pattern: ClassVar[re.Pattern[str]]  # for CallbackQueryHandler(pattern=...)
    _key: ClassVar[str | None]  # the Prefix field, if any

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)
        hints = get_type_hints(cls, include_extras=True)
        cls.domains = {
            f.name: getattr(hints[f.name], "__metadata__", [None])[0] for f in fields(cls)
        }
        if not all(isinstance(d, Domain) for d in cls.domains.values()):
            raise TypeError(f"{cls.__name__}: annotate every field Annotated[type, Domain]")
        keys = [(name, d) for name, d in cls.domains.items() if isinstance(d, Prefix)]
        if len(keys) + (prefix is not None) != 1:
            raise TypeError(f"{cls.__name__}: give a prefix or a Prefix field, one only")
        cls._key = keys[0][0] if keys else None
        cls.prefixes = tuple(keys[0][1].values) if keys else (str(prefix),)
        try:  # may it be bare? then its fields, if any, follow a colon or nothing
            cls._parse(cls.prefixes[0], [])
            end = r"(?::|\Z)" if len(cls.domains) > len(keys) else r"\Z"
        except ValueError:
            end = ":"
        cls.pattern = re.compile(f"^(?:{'|'.join(map(re.escape, cls.prefixes))}){end}")
        KINDS.append(cls)
        for head in cls.prefixes:
            _BY_PREFIX.setdefault(head, []).append(cls)

    def valid(self) -> bool:
        """A rule between fields, beyond each field's own domain."""
        return True

    def encode(self) -> str:
        """The callback data; ValueError if a field is out of its domain, or it is too long."""
        values = vars(self)
        texts = {name: d.pick(values).text(values[name]) for name, d in self.domains.items()}
        head = texts.pop(self._key) if self._key else self.prefixes[0]
        tail = list(texts.values())
        while tail and tail[-1] is None:
            tail.pop()
        if None in tail or not self.valid():
            raise ValueError(f"{self!r} is not a valid button")
        data = ":".join([str(head), *map(str, tail)])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"{data!r} is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def _parse(cls, head: str, tokens: list[str]) -> Self:
        names = [name for name in cls.domains if name != cls._key]
        if len(tokens) > len(names):
            raise ValueError("too many fields")
        texts = {cls._key: head, **dict(zip(names, tokens, strict=False))}
        values: dict[str, Any] = {}
        for name, d in cls.domains.items():
            values[name] = d.pick(values).value(texts.get(name))
        item = cls(**values)
        if not item.valid():
            raise ValueError(f"{item!r} is not a valid button")
        return item


def parse(data: str | None) -> Callback | None:
    """The button a callback's data names, or None for anything unknown or malformed."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    head, *tokens = data.split(":")
    for kind in _BY_PREFIX.get(head, ()):
        try:
            return kind._parse(head, tokens)
        except ValueError:
            pass
    return None


# The kinds ---------------------------------------------------------------------------------
MINUTES = range(24 * 60)
Count = Annotated[int, Int()]  # no sign, no leading zeros, at most 9 digits
Id = Annotated[str, Text(ID_RE)]  # a series' or lesson's
Minutes = Annotated[int, Int(MINUTES)]  # after midnight
Flagged = Annotated[bool, Flag("n")]  # :n, a new message (leaving the pressed one as it is)


class Menu(Callback, prefix="menu"):
    new: Flagged = False  # under a lesson, which stays


class More(Callback, prefix="more"): ...


class Help(Callback, prefix="help"): ...


class Privacy(Callback, prefix="priv"): ...


class Languages(Callback, prefix="langs"): ...


class Language(Callback, prefix="lang"):
    code: Annotated[str, Choice("en", "ru", "uk")]


class SeriesList(Callback, prefix="ser"):
    page: Count = 0


class SeriesPage(Callback, prefix="s"):
    series_id: Id
    page: Count = 0
    new: Flagged = False  # from a lesson, which stays in the chat


class OpenLesson(Callback, prefix="l"):
    lesson_id: Id


class StartQuiz(Callback, prefix="qs"):
    lesson_id: Id


class ResumeQuiz(Callback, prefix="qr"):
    attempt_id: Count


class Answer(Callback, prefix="qa"):
    attempt_id: Count
    question: Count
    position: Count  # where the option was shown: 0 = A


# After a quiz: was the lesson useful (feedback), and its week's action (commitments).
class RateLesson(Callback, prefix="fr"):
    attempt_id: Count  # the attempt the rating follows (a retake asks again)
    usefulness: Annotated[int, Int(range(6))]  # 1..5; 0: skipped


class SkipUnclear(Callback, prefix="fu"):
    lesson_id: Id


class Commit(Callback, prefix="cm"):
    lesson_id: Id
    taken: Annotated[bool, Choice({"y": True, "n": False})]  # "I'll try it" / "Not now"


class FollowUp(Callback, prefix="cf"):
    commitment_id: Count
    answer: Annotated[str, Choice({"d": "done", "l": "later", "f": "failed"})]


class SkipNote(Callback, prefix="cn"):
    commitment_id: Count


class Journal(Callback, prefix="jr"):
    page: Count = 0


# A finished series' obstacles re-rated: the confidence lift.
class LiftStart(Callback, prefix="ls"):
    series_id: Id


class LiftRate(Callback, prefix="lr"):
    assessment_id: Count
    index: Count
    rating: Annotated[int, Int(range(1, 6))]


class Progress(Callback, prefix="prog"): ...


class Subscriptions(Callback, prefix="subs"):
    fresh: Flagged = False  # under a drip, whose lesson must stay


SUBSCRIPTION_ACTIONS = {"sub": "subscribe", "sp": "pause", "sr": "resume", "su": "unsubscribe"}


class SubscriptionAction(Callback):
    action: Annotated[str, Prefix(SUBSCRIPTION_ACTIONS)]  # subscribe, pause, resume, ...
    series_id: Id


class PauseFromDrip(Callback, prefix="spd"):
    series_id: Id


class Recap(Callback, prefix="rc"):
    series_id: Id


SETTINGS_PAGES = ("t", "d", "z", "q")  # time, days, zone, quiet hours


class Settings(Callback, prefix="set"):
    page: Annotated[str | None, Maybe(Choice(*SETTINGS_PAGES))] = None  # None: the overview


class SetTime(Callback, prefix="st"):
    minutes: Minutes


class SetDays(Callback, prefix="sd"):
    mask: Annotated[int, Int(range(1, 128))]


class SetZone(Callback, prefix="sz"):
    index: Count  # into bot.services.schedule.QUICK_ZONES


ZONE_RE = re.compile(r"^[A-Z][A-Za-z_+\-]*(?:/[A-Za-z0-9_+\-]+){1,2}$")


class SetZoneName(Callback, prefix="szn"):
    zone: Annotated[str, Text(ZONE_RE)]  # an IANA Area/Place name


class SetQuiet(Callback, prefix="sq"):
    start: Annotated[int | None, Maybe(Int(MINUTES), "off")]  # None: quiet hours off
    end: Annotated[int | None, Maybe(Int(MINUTES))] = None

    def valid(self) -> bool:
        return self.end is None if self.start is None else self.end not in (None, self.start)


class AskInput(Callback, prefix="ask"):
    what: Annotated[str, Choice("t", "z", "q")]


class StartReview(Callback, prefix="rv"): ...


class ReviewAnswer(Callback, prefix="rv"):
    card_id: Count
    reviews: Count
    position: Count  # where the option was shown: 0 = A
    shown_at: Annotated[int, Int(range(10**9, 10**10))]  # unix seconds


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


class AdminAction(Callback, prefix="ab"):
    verb: Annotated[str, Choice(*ADMIN_VERBS)]
    broadcast_id: Count
    arg: Annotated[str | None, Given("verb", ADMIN_VERBS)] = None


class Rate(Callback, prefix="as"):
    assessment_id: Count
    index: Count
    rating: Annotated[int, Int(range(1, 6))]


class RateBack(Callback, prefix="asb"):
    assessment_id: Count
    index: Count


class AssessLater(Callback, prefix="asl"):
    assessment_id: Count


class AssessStart(Callback):
    new: Annotated[bool, Prefix({"asn": True, "asc": False})]  # asn / asc (see above)


class AssessIntro(Callback, prefix="asi"): ...


class AssessRestart(Callback):
    assessment_id: Count
    confirmed: Annotated[bool, Prefix({"aso": False, "asx": True})] = False  # False: ask first


class Teams(Callback, prefix="tms"): ...


TEAM_VERBS = ("r", "l", "ll", "d", "dd")


class TeamAction(Callback, prefix="tm"):
    verb: Annotated[str, Choice(*TEAM_VERBS)]
    team_id: Count


class MyData(Callback, prefix="md"):
    confirmed: Annotated[bool, Choice({"del": False, "yes": True})]


# Lesson analytics: /stats (admins) and a team's lessons (its manager); rights checked on
# every press.
class StatsLessons(Callback, prefix="al"):
    page: Count = 0
    new: Flagged = False  # from the /stats message, which stays


class StatsLesson(Callback, prefix="ald"):
    lesson_id: Id
    page: Count = 0  # the list's page to go back to


class StatsChart(Callback, prefix="alc"): ...


class TeamLessons(Callback, prefix="tml"):
    team_id: Count
    page: Count = 0
    new: Flagged = False  # from the team's results, which stay


class TeamLesson(Callback, prefix="tmd"):
    team_id: Count
    lesson_id: Id
    page: Count = 0  # the list's page to go back to


class PlanPdf(Callback, prefix="p90"): ...  # /plan: the 90-day plan as a PDF


class TemplateFile(Callback, prefix="tpl"):
    template_id: Id  # /templates: send this template's file (an unknown id: Gone)


# Bonus materials for channel members (issue 17). /bonus is an admin's (rights checked on
# every press): bn:<page> the list, bns:<series> a series' targets, bnt:<s|l>:<id> the
# language, bnl:<s|l>:<id>:<en|ru|uk|all> then the title is typed, bnd:<bonus> / bnx:<bonus>
# delete (asks / confirmed). bg:<bonus>[:j] is a learner's: the bonus, given to a member of
# their language's channel (:j "I have joined": checked again).
BONUS_TARGETS = {"s": "series", "l": "lesson"}
BONUS_LANGUAGES = {"en": "en", "ru": "ru", "uk": "uk", "all": None}


class BonusList(Callback, prefix="bn"):
    page: Count = 0


class BonusSeries(Callback, prefix="bns"):
    series_id: Id


class BonusTarget(Callback, prefix="bnt"):
    kind: Annotated[str, Choice(BONUS_TARGETS)]  # "series" or "lesson"
    target_id: Id


class BonusLanguage(Callback, prefix="bnl"):
    kind: Annotated[str, Choice(BONUS_TARGETS)]
    target_id: Id
    language: Annotated[str | None, Choice(BONUS_LANGUAGES)]  # None: every language


class BonusDelete(Callback):
    bonus_id: Count
    confirmed: Annotated[bool, Prefix({"bnd": False, "bnx": True})] = False  # False: ask first


class GetBonus(Callback, prefix="bg"):
    bonus_id: Count
    joined: Annotated[bool, Flag("j")] = False  # "✅ I have joined": check again


# Attribution (admins only; rights checked on every press): /links, tracked named links and
# channel invite links, and the funnel report under /stats.
#   lk:<page>                   /links, page n
#   lkn                         a new named link: choose what it opens (home or a series)
#   lks:<series>                ... a series' page or one of its lessons
#   lkt:h | lkt:s:<series> | lkt:l:<lesson>   ... chosen: now type its name
#   lki[:<channel>]             a new channel invite link (for @channel or -100...): its name
#   fn:<page>[:n]               /stats → 🔗 Sources, page n (:n as a new message)
#   fnc                         the sources' funnel chart
CHANNEL_RE = re.compile(r"^(?:@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,15})$")


class Links(Callback, prefix="lk"):
    page: Count = 0


class LinkNew(Callback, prefix="lkn"): ...


class LinkSeries(Callback, prefix="lks"):
    series_id: Id


class LinkTarget(Callback, prefix="lkt"):
    kind: Annotated[str, Choice({"h": "home", "s": "series", "l": "lesson"})]
    target_id: Annotated[str | None, Given("kind", {"home": None, "series": ID_RE,
                                                    "lesson": ID_RE})] = None  # fmt: skip


class InviteNew(Callback, prefix="lki"):
    channel: Annotated[str | None, Maybe(Text(CHANNEL_RE))] = None  # None: choose (or the only)


class Sources(Callback, prefix="fn"):
    page: Count = 0
    new: Flagged = False  # from the /stats message, which stays


class SourcesChart(Callback, prefix="fnc"): ...


# The channel's posting calendar (/channel; admins only, rights checked on every press):
#   cpl[:<page>]                    the plan, page n
#   cpn[:<t|q|d|f|s>[:<lang>]]      add a post: its kind (s: plan a series), then the language
#                                   of its channel, then what it is about
#   cps:<t|q>:<lang>:<series>       a teaser's or a quiz poll's lesson, among a series' lessons
#   cpq:<lang>:<lesson>             a quiz poll's question
#   cpw:<t|q|d|f>:<lang>:<lesson|series|->:<question|->:<YYYYMMDD|->:<minutes|->[:k]
#                                   a new post's day, then its time (then it is planned);
#                                   :k the date and time are typed instead
#   cpm:<post>:<YYYYMMDD|->:<minutes|->[:k]   the same for moving a planned post
#   cpx:<v|pv|mv|c|cc|rs|rr>:<post> a post: view, preview, move, cancel (asks / confirmed),
#                                   post again (asks / confirmed)
#   cpd:<lang>:<series>:<days>[:<minutes>[:ok]]   plan a series: its weekdays (bit 0 = Monday)
#                                   and a time, then the moments to confirm, :ok planned
# Combinations the service cannot use (a quiz without its question...) are "out of date".
POST_KIND_TOKENS = {"t": "teaser", "q": "quiz", "d": "digest", "f": "free"}
ChannelLanguage = Annotated[str, Choice("en", "ru", "uk")]
PostDay = Annotated[int | None, Maybe(Int(range(20000101, 21000101)), "-")]  # YYYYMMDD
PostMinutes = Annotated[int | None, Maybe(Int(MINUTES), "-")]
CHANNEL_POST_VERBS = ("v", "pv", "mv", "c", "cc", "rs", "rr")


class ChannelPlan(Callback, prefix="cpl"):
    page: Count = 0


class ChannelNew(Callback, prefix="cpn"):
    kind: Annotated[str | None, Maybe(Choice({**POST_KIND_TOKENS, "s": "series"}))] = None
    language: Annotated[str | None, Maybe(Choice("en", "ru", "uk"))] = None

    def valid(self) -> bool:
        """cpn:<kind>:<lang>: a language only after a kind."""
        return self.kind is not None or self.language is None


class ChannelLessons(Callback, prefix="cps"):
    kind: Annotated[str, Choice({"t": "teaser", "q": "quiz"})]
    language: ChannelLanguage
    series_id: Id


class ChannelQuestions(Callback, prefix="cpq"):
    language: ChannelLanguage
    lesson_id: Id


class ChannelWhen(Callback, prefix="cpw"):
    kind: Annotated[str, Choice(POST_KIND_TOKENS)]
    language: ChannelLanguage
    target_id: Annotated[str | None, Maybe(Text(ID_RE), "-")] = None  # lesson, or series
    question: Annotated[int | None, Maybe(Int(range(12)), "-")] = None  # 0-based
    day: PostDay = None
    minutes: PostMinutes = None
    typed: Annotated[bool, Flag("k")] = False


class ChannelMove(Callback, prefix="cpm"):
    post_id: Count
    day: PostDay = None
    minutes: PostMinutes = None
    typed: Annotated[bool, Flag("k")] = False


class ChannelPostAction(Callback, prefix="cpx"):
    verb: Annotated[str, Choice(*CHANNEL_POST_VERBS)]
    post_id: Count


class ChannelSeriesPlan(Callback, prefix="cpd"):
    language: ChannelLanguage
    series_id: Id
    days: Annotated[int, Int(range(128))] = 0  # bit 0 = Monday
    minutes: Annotated[int | None, Maybe(Int(MINUTES))] = None
    confirmed: Annotated[bool, Flag("ok")] = False

    def valid(self) -> bool:
        """cpd:<lang>:<series>:<days>:<minutes>:ok: confirming needs the time."""
        return self.minutes is not None or not self.confirmed


# Certificates (issue 18): a finished series' certificate; its code verifies it.
class CertGet(Callback, prefix="ctg"):  # ctg:<series>  get (or get again) the certificate
    series_id: Id


class CertFirstName(Callback, prefix="ctn"):  # ctn:<series>  print the Telegram first name
    series_id: Id


class CertRename(Callback, prefix="ctr"):  # ctr:<series>  change the printed name
    series_id: Id


class CertList(Callback, prefix="cts"): ...  # cts  /certificates


# A team's own screen (its members' count and actions), its co-managers and hand-over (the
# owner's; rights checked on every press), and a member's progress shared by name.
class TeamOpen(Callback, prefix="tmo"):
    team_id: Count


class TeamManager(Callback, prefix="tmc"):
    verb: Annotated[str, Choice("m", "a", "x", "h", "hs", "hl")]
    team_id: Count
    user_id: Count = 0  # the member concerned (m: none)


class TeamShare(Callback, prefix="tsh"):
    team_id: Count
    on: Annotated[bool, Choice({"1": True, "0": False})]


# A team's assignments (its managers', checked on every press) and the weekly digest's day.
class AssignMenu(Callback, prefix="agm"):  # agm:<team>  the assignments, the series to assign
    team_id: Count


class AssignSeries(Callback, prefix="ags"):  # ags:<team>:<series>  pick the due date
    team_id: Count
    series_id: Id


class AssignDue(Callback, prefix="agd"):  # agd:<team>:<series>:<weeks>  assign it
    team_id: Count
    series_id: Id
    weeks: Annotated[int, Choice({"1": 1, "2": 2, "3": 3, "4": 4})]


class AssignCancel(Callback, prefix="agx"):  # agx:<team>:<assignment>[:y]  withdraw (asked)
    team_id: Count
    assignment_id: Count
    sure: Annotated[bool, Flag("y")] = False


class DigestDay(Callback, prefix="dgd"):  # dgd:<team>[:<day>]  the picker; 0-6 a weekday, 7 off
    team_id: Count
    day: Annotated[int | None, Maybe(Choice({str(d): d for d in range(8)}))] = None
