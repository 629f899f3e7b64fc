"""Request models and caps of the page's physics routes: the short twin run, scenario files, uncertainty.

Cost model (as in :mod:`orbitaldc.web.schemas`): a twin request steps at most
:data:`MAX_SATELLITES` satellites for :data:`MAX_STEPS` steps (``MAX_DAYS`` at the shortest
step :data:`MIN_STEP_S`), i.e. at most ``MAX_SATELLITES x MAX_STEPS`` satellite-steps, in the
NumPy reference kernel (no compilation in a worker) and in the heavy lane; the bounds are in
the schema, so every schema-valid request is within them. The series answered hold at most
:data:`MAX_SERIES_POINTS` points (bucket means). A scenario upload is at most
:data:`MAX_TOML_CHARS` characters of TOML, parsed by the library's own loader.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orbitaldc.params.spec import DISTRIBUTIONS
from orbitaldc.web.schemas import (MAX_SEED, NUMERIC, Integer, MonteCarloRequest, ScenarioRequest, TomlRequest,
                                   _Strict, _utf8)

#: Most satellites of a twin run from the page.
MAX_SATELLITES = 50
#: Longest twin run from the page [days].
MAX_DAYS = 3.0
#: Shortest time step of a twin run from the page [s].
MIN_STEP_S = 30.0
#: Longest time step [s] (the library's allowed maximum may be larger; the page needs a series).
MAX_STEP_S = 600.0
#: Most steps per satellite: ``MAX_DAYS`` at ``MIN_STEP_S``.
MAX_STEPS = int(MAX_DAYS * 86_400 / MIN_STEP_S)
#: Most points per answered time series (bucket means beyond).
MAX_SERIES_POINTS = 720
#: Largest scenario TOML accepted by the upload route [characters].
MAX_TOML_CHARS = 32_000
#: Time series of the twin that the page plots (columns of the twin's series).
SERIES = ("sunlit_fraction", "array_power_w", "load_power_w", "compute_power_w", "battery_soc", "temperature_k",
          "die_temperature_max_k", "active_gpus", "satellites_alive")

NumericName = Literal[NUMERIC]  # type: ignore[valid-type]


class UncertaintyEntry(_Strict):
    """One parameter's stated uncertainty (the ``[uncertainty.NAME]`` table of a scenario file)."""

    distribution: Literal[DISTRIBUTIONS] = Field(  # type: ignore[valid-type]
        ..., description="Distribution; `fixed` means not sampled.")
    low: Optional[float] = Field(None, allow_inf_nan=False, strict=True,
                                 description="Lower bound (uniform, triangular, loguniform) or P5 (normal, lognormal).")
    high: Optional[float] = Field(None, allow_inf_nan=False, strict=True,
                                  description="Upper bound or P95; must be above low.")
    mode: Optional[float] = Field(None, allow_inf_nan=False, strict=True, description="Mode of a triangular.")

    def table(self) -> dict[str, Any]:
        """The entry as a scenario's table (unset fields left out).

        Returns
        -------
        dict

        References
        ----------
        .. [1] :func:`orbitaldc.params.spec.check_uncertainty` (the rules applied to it).
        """
        return self.model_dump(exclude_none=True)


#: Parameter -> stated uncertainty; checked by the library (422 ``model_error`` naming the key).
Uncertainty = Optional[dict[NumericName, UncertaintyEntry]]  # type: ignore[valid-type]
UNCERTAINTY_DESCRIPTION = ("Per-parameter uncertainty stated for this request (as a scenario's [uncertainty.NAME] "
                           "tables): it replaces the library's distribution of that parameter. Bounds within the "
                           "parameter's allowed range, low < high; a violation answers 422 model_error naming it.")


def uncertainty_payload(value: Optional[dict[str, UncertaintyEntry]]) -> Optional[dict[str, dict[str, Any]]]:
    """Plain tables for a worker (None stays None).

    Parameters
    ----------
    value : dict or None
        Parameter -> :class:`UncertaintyEntry`.

    Returns
    -------
    dict or None
        Parameter -> table.

    References
    ----------
    .. [1] :meth:`orbitaldc.params.Scenario.with_uncertainty`.
    """
    return None if value is None else {k: v.table() for k, v in value.items()}


class _StatedUncertainty(BaseModel):
    """The ``uncertainty`` field the page's requests add, passed on in their payload."""

    uncertainty: Uncertainty = Field(None, description=UNCERTAINTY_DESCRIPTION)

    def payload(self) -> dict[str, Any]:
        """Plain data for :mod:`orbitaldc.web.services`: the base request's, plus ``uncertainty``.

        Returns
        -------
        dict

        References
        ----------
        .. [1] :meth:`orbitaldc.web.schemas.ScenarioRequest.payload`.
        """
        out = super().payload()
        out["uncertainty"] = uncertainty_payload(self.uncertainty)
        return out


class UncertainMonteCarloRequest(_StatedUncertainty, MonteCarloRequest):
    """Monte Carlo with per-parameter uncertainty stated in the request (the page's sliders)."""


class UncertainTomlRequest(_StatedUncertainty, TomlRequest):
    """A scenario TOML that also carries the stated uncertainty as [uncertainty.NAME] tables."""


class TwinRequest(ScenarioRequest):
    """A short, bounded twin run of the scenario's bottom-up design (``mass_model = "bottom_up"``)."""

    satellites: Integer(1, MAX_SATELLITES) = Field(  # type: ignore[valid-type]
        12, description="Satellites of the sample stepped.")
    days: float = Field(1.0, gt=0, le=MAX_DAYS, strict=True, allow_inf_nan=False, description="Simulated days.")
    step_s: float = Field(60.0, ge=MIN_STEP_S, le=MAX_STEP_S, strict=True, allow_inf_nan=False,
                          description="Time step [s].")
    seed: Integer(0, MAX_SEED) = Field(0, description="Seed of every random stream.")  # type: ignore[valid-type]


class ScenarioTextRequest(_Strict):
    """A scenario file's text, validated by the library's loader (the page's *Load TOML*)."""

    toml: str = Field(..., min_length=1, max_length=MAX_TOML_CHARS,
                      description="Scenario TOML: `extends` a preset (no file paths), parameters, [uncertainty.NAME].")

    _valid_text = field_validator("toml")(_utf8)

    def payload(self) -> dict[str, Any]:
        """Plain data for :func:`orbitaldc.web.services.scenario_text_json`.

        Returns
        -------
        dict

        References
        ----------
        .. [1] :func:`orbitaldc.web.services.run_task`.
        """
        return {"toml": self.toml}


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ScenarioTextResponse(_Open):
    preset: str = Field(..., description="The preset the page starts from (the file's `extends`, else the default).")
    overrides: dict[str, Any] = Field(..., description="Values that differ from that preset.")
    uncertainty: dict[str, dict[str, Any]] = Field(..., description="The file's stated uncertainty tables.")
    name: str
    description: str
    warnings: list[str] = Field(..., description="Values far outside their plausible range, one line each.")


class TwinResponse(_Open):
    scenario: str
    satellites: int
    days: float
    step_s: float
    seed: int
    series: dict[str, list[Optional[float]]] = Field(
        ..., description=f"time_h and {', '.join(SERIES)} (sample totals or means per step; at most "
                         f"{MAX_SERIES_POINTS} points, bucket means).")
    summary: dict[str, Any] = Field(..., description="Simulated against averaged: availability, GPU-hours, LCOC, losses.")
