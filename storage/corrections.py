"""Staff corrections kept as labelled examples, for `griddesk corrections export`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from storage.tables import LabelledExampleRow


def labelled_examples(session: Session, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Oldest first, in the ``griddesk parse`` shape plus who corrected what and when."""
    statement = select(LabelledExampleRow).order_by(LabelledExampleRow.id)  # type: ignore[arg-type]
    if since is not None:
        statement = statement.where(LabelledExampleRow.at >= since)  # type: ignore[operator]
    for row in session.execute(statement).scalars():
        yield {
            "text": row.text,
            "chat": row.chat_id,
            **json.loads(row.labels),
            "corrected": json.loads(row.corrected),
            "fix": row.fix,
            "by": row.staff_id,
            "at": row.at.isoformat(),
        }
