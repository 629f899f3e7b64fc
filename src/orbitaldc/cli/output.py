"""Output helpers shared by CLI commands: JSON conversion and money/number formatting, re-exported
from the presentation layer (:mod:`orbitaldc.serialization`, :mod:`orbitaldc.formatting`)."""

from __future__ import annotations

from orbitaldc.formatting import number, usd  # noqa: F401  (re-exported for commands)
from orbitaldc.serialization import dumps, jsonable  # noqa: F401  (re-exported for commands)
