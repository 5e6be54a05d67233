"""docs/query-language.md stays true: every field is documented, every error example is exact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.corpus.search.lexer import FIELDS
from dossier.corpus.search.query import parse
from dossier.errors import QueryError

DOC = (Path(__file__).parents[2] / "docs" / "query-language.md").read_text()
ERROR_ROW = re.compile(r"^\| `([^`]+)` \| `([^`]+)` \|$", re.MULTILINE)
ERRORS = DOC[DOC.index("## Errors") : DOC.index("## Results")]


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_every_field_is_documented(field: str) -> None:
    assert f"| `{field}:" in DOC


def test_error_table_is_not_empty() -> None:
    assert len(ERROR_ROW.findall(ERRORS)) >= 8


@pytest.mark.parametrize(("query", "message"), ERROR_ROW.findall(ERRORS))
def test_documented_error_messages(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse(query)
    pattern = ".*".join(re.escape(part) for part in message.split("..."))
    assert re.fullmatch(pattern, str(raised.value))
