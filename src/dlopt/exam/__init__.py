"""The E資格 question bank: four-option questions as data, one module a chapter (``bank/<slug>.py``).

``questions(chapter=None, kind=None)`` returns ``Question`` records in the book's order; ``groups()``
the shared contexts (a code listing with blanks 【あ】【い】…, a formula, a table) that several
questions refer to, as the exam presents them. ``quiz(chapter)`` shows a chapter's questions as a
kernel-free, offline quiz; ``mock_exam()`` is the 30-question timed mock exam; ``python -m dlopt.exam``
exports a set as a printable page or a notebook without answers.
"""

from .bank import CHAPTERS, KEYWORDS, KINDS, Group, Question, groups, questions
from .render import Quiz, markdown_to_html, mock_exam, quiz

__all__ = [
    "CHAPTERS",
    "KEYWORDS",
    "KINDS",
    "Group",
    "Question",
    "Quiz",
    "groups",
    "markdown_to_html",
    "mock_exam",
    "questions",
    "quiz",
]
