"""Base of the typed chain inputs: numeric values and the :class:`InputGroup` mixin.

A group is a frozen dataclass whose field names *are* library parameter names
(:mod:`orbitaldc.systems.inputs` and :mod:`orbitaldc.systems.economic_inputs` declare them).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Mapping

import numpy as np

__all__ = ["InputGroup", "numeric_inputs"]


def numeric_inputs(values: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[int, ...]]:
    """Numeric parameters as float arrays (strings and unset optionals kept), and their shape.

    Parameters
    ----------
    values : mapping
        Complete parameter values (``Scenario.values``).

    Returns
    -------
    tuple
        ``(values, shape)``: the mapping with numbers as float arrays, and the broadcast shape of
        every parameter (the scenario's shape, ``()`` for a point).

    References
    ----------
    .. [1] NumPy documentation, "Broadcasting" (the rule that gives the scenario's shape).
    .. [2] ``docs/architecture.md`` (typed input groups whose field names are parameter names).
    """
    f = {k: (np.asarray(x, dtype=float) if not isinstance(x, str) and x is not None else x)
         for k, x in values.items()}
    shape = np.broadcast_shapes(*{x.shape for x in f.values() if isinstance(x, np.ndarray)})
    return f, shape


class InputGroup:
    """Mixin for a frozen dataclass whose fields are library parameter names."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The parameters this group reads, in declaration order.

        Returns
        -------
        tuple of str
            Parameter names of the library.

        References
        ----------
        .. [1] pvlib ``modelchain.py``: ``_DC_MODEL_PARAMS``, the parameters each model reads.
        """
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def take(cls, values: Mapping[str, Any]):
        """Build the group from a mapping of parameter values.

        Parameters
        ----------
        values : mapping
            Parameter name -> value (other keys are ignored).

        Returns
        -------
        InputGroup
            This group, its fields read from ``values``.

        Raises
        ------
        KeyError
            A parameter of the group is missing.

        References
        ----------
        .. [1] pvlib ``modelchain.py``: ``_DC_MODEL_PARAMS``, the parameters each model reads.
        """
        return cls(**{n: values[n] for n in cls.names()})
