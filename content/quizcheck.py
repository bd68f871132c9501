"""Can a quiz be passed without reading the question? The test-wise learner's strategies.

A question tests understanding only if its right option cannot be found by its look. For
each language this module scores the strategies a test-wise learner uses on a multiple-choice
bank, and compares each score with blind guessing:

- **longest**: always tap the longest option;
- **echo**: always tap the option that shares the most words with the lesson;
- **no absolutes**: never tap an option that says "never", "always", "only", ...;
- and the over-corrections a bank rewritten against the first two falls into: always the
  **shortest** option, always the option sharing the **fewest** words with the lesson, and
  never an extreme (an option neither the longest nor the shortest; neither the most nor
  the least echoing).

A strategy that picks among tied options guesses among them, so it scores the expected
value. Blind guessing scores ``mean(1 / options)``; a strategy *clearly beats chance* when its
score exceeds chance by more than two standard deviations of a blind guesser's score over
the same bank (a one-sided p of about 2%). With 62 four-option questions that is 25% for
chance and about 36% for the limit. On top of the bank-wide scores, one question alone fails
when its right option is much longer than its distractors (more than :data:`KEY_LENGTH_RATIO`
times their mean length), or when its stem leans on "this lesson" (review cards come back
days later, out of the lesson's context).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from content.model import Catalog, Lesson, QuizQuestion
from content.telegram_html import TelegramHTMLError, parse_html

KEY_LENGTH_RATIO = 1.25
SIGMAS = 2.0
STEM_LENGTH = 5  # a crude stem: the first letters of a word (inflection hides the rest)
MIN_WORD = 4  # shorter words are mostly function words in all three languages

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'"})

# Frequent words of four letters or more that carry no content.
STOP_WORDS = {
    "en": {
        "about",
        "after",
        "also",
        "because",
        "been",
        "before",
        "being",
        "could",
        "does",
        "each",
        "every",
        "from",
        "have",
        "into",
        "just",
        "more",
        "most",
        "much",
        "other",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "very",
        "want",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "yours",
    },
    "ru": {
        "более",
        "будет",
        "будут",
        "было",
        "быть",
        "вами",
        "ваша",
        "ваше",
        "ваши",
        "вашей",
        "вашего",
        "всего",
        "всех",
        "даже",
        "если",
        "есть",
        "ещё",
        "пока",
        "когда",
        "который",
        "которая",
        "которые",
        "может",
        "можно",
        "надо",
        "нужно",
        "него",
        "неё",
        "после",
        "потому",
        "почему",
        "просто",
        "свой",
        "своей",
        "своих",
        "себя",
        "сейчас",
        "тогда",
        "того",
        "тоже",
        "только",
        "чтобы",
        "этого",
        "этой",
        "этом",
        "этот",
        "эти",
        "очень",
        "через",
        "сам",
        "сами",
        "самой",
        "такой",
        "также",
        "там",
        "тем",
        "теперь",
        "вместо",
    },
    "uk": {
        "більш",
        "буде",
        "будуть",
        "було",
        "бути",
        "вами",
        "ваша",
        "ваше",
        "ваші",
        "вашої",
        "вашого",
        "всього",
        "всіх",
        "навіть",
        "якщо",
        "поки",
        "коли",
        "який",
        "яка",
        "які",
        "може",
        "можна",
        "треба",
        "потрібно",
        "нього",
        "неї",
        "після",
        "тому",
        "чому",
        "просто",
        "свій",
        "своєї",
        "своїх",
        "себе",
        "зараз",
        "тоді",
        "того",
        "теж",
        "тільки",
        "лише",
        "щоб",
        "цього",
        "цієї",
        "цьому",
        "цей",
        "ці",
        "дуже",
        "через",
        "сам",
        "самі",
        "такий",
        "також",
        "там",
        "тим",
        "тепер",
        "замість",
    },
}

# Words that test-wise learners read as the mark of a wrong option.
ABSOLUTES = {
    "en": (
        r"\bnever\b",
        r"\balways\b",
        r"\bonly\b",
        r"\bnothing\b",
        r"\bnobody\b",
        r"\bno one\b",
        r"\bnone\b",
        r"\bentirely\b",
        r"\bcompletely\b",
        r"\bfor good\b",
        r"\bat once\b",
        r"\bguarantee",
        r"\bno risk\b",
        r"\beverything\b",
        r"\beveryone\b",
    ),
    "ru": (
        r"никогда",
        r"всегда",
        r"\bтолько\b",
        r"\bлишь\b",
        r"\bничего\b",
        r"\bничто\b",
        r"\bникто\b",
        r"\bникого\b",
        r"полностью",
        r"навсегда",
        r"\bсразу\b",
        r"гарантир",
        r"\bвсё\b",
        r"\bвсе\b",
        r"\bнет риска\b",
        r"риска нет",
    ),
    "uk": (
        r"ніколи",
        r"завжди",
        r"\bтільки\b",
        r"\bлише\b",
        r"\bнічого\b",
        r"\bніщо\b",
        r"\bніхто\b",
        r"\bнікого\b",
        r"повністю",
        r"назавжди",
        r"\bодразу\b",
        r"\bвідразу\b",
        r"гарант",
        r"\bвсе\b",
        r"\bусе\b",
        r"\bвсі\b",
        r"\bусі\b",
        r"ризику немає",
    ),
}

THIS_LESSON = {
    "en": re.compile(r"\bth(is|e) (lesson|course)\b", re.IGNORECASE),
    "ru": re.compile(r"\b(этот|этого|этом|этому|данн\w+) (урок|курс)\w*", re.IGNORECASE),
    "uk": re.compile(r"\b(цей|цього|цьому|даного) (урок|курс)\w*", re.IGNORECASE),
}


@dataclass(frozen=True)
class Item:
    """One quiz question with what a test-wise learner can see of its lesson."""

    lesson_id: str
    index: int  # the question's place in its lesson's quiz (0-based)
    question: QuizQuestion
    lesson_stems: frozenset[str]


@dataclass(frozen=True)
class StrategyScore:
    name: str
    score: float  # expected share of right answers, 0..1
    hits: float  # expected number of right answers


@dataclass(frozen=True)
class BankReport:
    """The test-wise strategies on one language's question bank, next to blind guessing."""

    language: str
    questions: int
    chance: float
    sigma: float
    strategies: tuple[StrategyScore, ...]

    @property
    def limit(self) -> float:
        return self.chance + SIGMAS * self.sigma

    def beaten(self) -> list[StrategyScore]:
        """The strategies that clearly beat chance."""
        return [s for s in self.strategies if s.score > self.limit]


def _plain(text: str) -> str:
    try:
        return parse_html(text).text
    except TelegramHTMLError:
        return re.sub(r"<[^>]*>", " ", text)


def stems(text: str, language: str) -> frozenset[str]:
    """The content words of ``text`` cut to a stem, lower-cased, ё folded to е."""
    stop = STOP_WORDS.get(language, set())
    words = _WORD_RE.findall(text.casefold().translate(_FOLD))
    return frozenset(w[:STEM_LENGTH] for w in words if len(w) >= MIN_WORD and w not in stop)


def lesson_stems(lesson: Lesson, language: str) -> frozenset[str]:
    text = " ".join(
        [
            lesson.title,
            _plain(lesson.body),
            _plain(lesson.key_idea),
            _plain(lesson.action),
            _plain(lesson.reflection),
        ]
    )
    return stems(text, language)


def items(catalog: Catalog, language: str) -> list[Item]:
    found = []
    for sc in catalog.series_list(language):
        for lesson in sc.lessons:
            known = lesson_stems(lesson, language)
            for i, question in enumerate(lesson.quiz):
                found.append(Item(lesson.id, i, question, known))
    return found


def _expected(picked: Iterable[int], correct: int) -> float:
    chosen = set(picked)
    return 1.0 / len(chosen) if correct in chosen else 0.0


def _argmax(values: Sequence[float]) -> list[int]:
    best = max(values)
    return [i for i, v in enumerate(values) if v == best]


def _argmin(values: Sequence[float]) -> list[int]:
    return _argmax([-v for v in values])


def shared_words(item: Item, language: str) -> list[int]:
    """Per option: how many of its word stems the lesson has."""
    return [len(stems(option, language) & item.lesson_stems) for option in item.question.options]


def pick_longest(item: Item, language: str) -> list[int]:
    return _argmax([len(option) for option in item.question.options])


def pick_shortest(item: Item, language: str) -> list[int]:
    return _argmin([len(option) for option in item.question.options])


def pick_echo(item: Item, language: str) -> list[int]:
    return _argmax(shared_words(item, language))


def pick_no_echo(item: Item, language: str) -> list[int]:
    return _argmin(shared_words(item, language))


def _middle(values: Sequence[float]) -> list[int]:
    extremes = set(_argmax(values)) | set(_argmin(values))
    return [i for i in range(len(values)) if i not in extremes] or list(range(len(values)))


def pick_middle_length(item: Item, language: str) -> list[int]:
    return _middle([len(option) for option in item.question.options])


def pick_middle_echo(item: Item, language: str) -> list[int]:
    return _middle(shared_words(item, language))


def has_absolute(text: str, language: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in ABSOLUTES.get(language, ()))


def pick_no_absolutes(item: Item, language: str) -> list[int]:
    options = item.question.options
    plain = [i for i, option in enumerate(options) if not has_absolute(option, language)]
    return plain or list(range(len(options)))


STRATEGIES: dict[str, Callable[[Item, str], list[int]]] = {
    "longest option": pick_longest,
    "most words shared with the lesson": pick_echo,
    "never an option with an absolute": pick_no_absolutes,
    "shortest option": pick_shortest,
    "fewest words shared with the lesson": pick_no_echo,
    "option neither longest nor shortest": pick_middle_length,
    "option neither echoing the lesson most nor least": pick_middle_echo,
}


def bank_report(catalog: Catalog, language: str) -> BankReport:
    bank = items(catalog, language)
    n = len(bank)
    if n == 0:
        return BankReport(language, 0, 0.0, 0.0, ())
    chances = [1.0 / len(item.question.options) for item in bank]
    chance = sum(chances) / n
    sigma = math.sqrt(sum(p * (1 - p) for p in chances)) / n
    scores = []
    for name, pick in STRATEGIES.items():
        hits = sum(_expected(pick(item, language), item.question.correct) for item in bank)
        scores.append(StrategyScore(name, hits / n, hits))
    return BankReport(language, n, chance, sigma, tuple(scores))


def key_length_ratio(question: QuizQuestion) -> float:
    """The right option's length over the mean length of the distractors."""
    key = len(question.options[question.correct])
    others = [len(o) for i, o in enumerate(question.options) if i != question.correct]
    return key / (sum(others) / len(others))


def question_problems(item: Item, language: str) -> list[str]:
    """What is wrong with one question by itself."""
    problems = []
    ratio = key_length_ratio(item.question)
    if ratio > KEY_LENGTH_RATIO:
        problems.append(
            f"the right option is {ratio:.2f}× the mean length of the others "
            f"(at most {KEY_LENGTH_RATIO}): it gives itself away"
        )
    if THIS_LESSON[language].search(item.question.question):
        problems.append(
            "the question refers to the lesson itself; review cards come back days later, "
            "so write the situation out"
        )
    return problems
