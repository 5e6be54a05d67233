"""Ordinary office mail: subjects that never repeat across conversations, and bodies drawn
from the templates in ``words`` so thousands of messages read differently."""

from __future__ import annotations

import random
import re
import textwrap
from datetime import datetime

from dossier.demo.people import Person
from dossier.demo.words import (
    CATEGORY,
    CLIENTS,
    CLOSINGS,
    DAYS,
    DOCS,
    GENERAL,
    GREETINGS,
    MONTHS,
    NOUNS,
    PLACES,
    PLANT,
    TOPICS,
)

PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|fw|aw|sv|vs|wg|tr|antw|rif|ref)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)
_LIST_TAG = re.compile(r"^\s*(?:\[[^\]]*\]\s*)+")


class SubjectRegistry:
    """Hands out subjects whose normalised forms never repeat across conversations."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def claim(self, *candidates: str) -> str:
        """The first candidate not yet used, else the last one numbered (``#2``, ``#3``...)."""
        for subject in candidates:
            if normalise(subject) not in self.used:
                self.used[normalise(subject)] = 1
                return subject
        last = candidates[-1]
        count = self.used[normalise(last)] + 1
        self.used[normalise(last)] = count
        return self.claim(f"{last} #{count}")


def normalise(subject: str) -> str:
    """Subject without reply prefixes or list tags, case-folded, spaces collapsed."""
    stripped = PREFIX.sub("", _LIST_TAG.sub("", PREFIX.sub("", subject)))
    return " ".join(stripped.split()).casefold()


class Writer:
    """Draws subjects and bodies for ordinary office mail."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def topic(self, when: datetime) -> tuple[str, tuple[str, ...]]:
        """A category and subject candidates, most specific last (for ``SubjectRegistry``)."""
        category = self.rng.choice(sorted(TOPICS))
        stems, qualifiers = TOPICS[category]
        base = f"{self.rng.choice(stems)} - {self.rng.choice(qualifiers)}"
        return category, (base, f"{base} ({when:%B %Y})", f"{base} ({when.day} {when:%B %Y})")

    def fill(self, template: str, people: list[Person]) -> str:
        """A template with its slots filled from the word lists."""
        r = self.rng
        return template.format(
            doc=r.choice(DOCS),
            day=r.choice(DAYS),
            first=r.choice(people).first,
            month=r.choice(MONTHS),
            place=r.choice(PLACES),
            num=r.randint(3, 60),
            noun=r.choice(NOUNS),
            client=r.choice(CLIENTS),
            hour=f"{r.randint(8, 17)}:{r.choice(('00', '30'))}",
            amount=f"{r.randint(2, 95) * 100:,}",
        )

    def paragraphs(self, category: str, people: list[Person], plant: bool = False) -> str:
        """One to three paragraphs; no template is used twice in one message."""
        pool = list(CATEGORY[category]) + list(self.rng.sample(GENERAL, 6))
        self.rng.shuffle(pool)
        paras = []
        for _ in range(self.rng.randint(1, 3)):
            count = min(len(pool), self.rng.randint(1, 4))
            sentences = [_capital(self.fill(pool.pop(), people)) for _ in range(count)]
            if sentences:
                paras.append(textwrap.fill(" ".join(sentences), 72))
        if plant:
            paras.insert(self.rng.randint(0, len(paras)), self.fill(self.rng.choice(PLANT), people))
        return "\n\n".join(paras)

    def body(self, sender: Person, to: list[Person], category: str, plant: bool = False) -> str:
        """Greeting, one to three paragraphs, closing and signature."""
        greeting = self.rng.choice(GREETINGS).format(first=to[0].first)
        text = self.paragraphs(category, [sender, *to], plant)
        return f"{greeting}\n\n{text}\n\n{self.rng.choice(CLOSINGS)}\n{signature(sender)}"


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def signature(person: Person) -> str:
    """The sender's sign-off block."""
    if person.org.key != "firm":
        return f"{person.name}\n{person.title}, {person.org.name}"
    return (
        f"{person.first}\n\n--\n{person.name} | {person.title}\nHalvorsen Strategic Analysis\n"
        "T: +1 512 555 0100 | www.firm.example"
    )
