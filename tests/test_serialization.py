"""orbitaldc.serialization: results to strict JSON (RFC 8259 has no NaN or Infinity)."""

from __future__ import annotations

import json
import math

import numpy as np

from orbitaldc.serialization import dumps, jsonable


def test_numpy_types_become_json_types():
    out = jsonable({"a": np.float64(1.5), "b": np.int64(7), "c": np.array([[1, 2], [3, 4]]), "d": np.bool_(True),
                    1: (np.float32(0.25),), "e": np.array(2.0)})
    assert out == {"a": 1.5, "b": 7, "c": [[1, 2], [3, 4]], "d": True, "1": [0.25], "e": 2.0}
    assert type(out["b"]) is int and type(out["a"]) is float and type(out["d"]) is bool


def test_non_finite_numbers_become_null_everywhere():
    out = jsonable({"x": [math.nan, math.inf, -math.inf, 1.0], "y": np.array([np.nan, 2.0]), "z": np.float64("inf")})
    assert out == {"x": [None, None, None, 1.0], "y": [None, 2.0], "z": None}


def test_dumps_is_strict_json_that_any_parser_reads():
    text = dumps({"v": np.array([np.nan, 3.0]), "s": "é"})
    assert json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c))) == {"v": [None, 3.0],
                                                                                                "s": "é"}
    assert "\n" in text  # indented by default (CLI output)
    assert dumps({"a": [1, 2]}, indent=None) == '{"a":[1,2]}'  # compact for the web API
