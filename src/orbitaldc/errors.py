"""Exception types shared by every layer.

Interfaces (CLI, web) turn :class:`OrbitaldcError` into one clear line (exit code 2) or a
4xx response; any other exception is a bug.
"""

from __future__ import annotations


class OrbitaldcError(ValueError):
    """Base class for every user-facing error: bad input, impossible request."""


class ScenarioError(OrbitaldcError):
    """A scenario file, preset or override is malformed or out of range."""


class PhysicsError(OrbitaldcError):
    """A physical input is impossible (altitude inside the Earth, emissivity > 1, ...)."""
