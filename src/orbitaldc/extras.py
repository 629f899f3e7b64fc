"""Optional dependencies: which ``pip install 'orbitaldc[EXTRA]'`` brings which package.

The core install (``pip install orbitaldc``) runs ``orbitaldc run``, break-even, Monte Carlo,
tornado, explain, claims, optimize, trajectory and local sweeps (numba, for the
Monte Carlo's compiled sampling kernels, is core). Everything else is an extra
(declared in ``pyproject.toml``); a feature whose package is missing says which extra to
install in one line instead of a traceback (:func:`missing_extra_message`).
"""

from __future__ import annotations

from orbitaldc.errors import OrbitaldcError

#: Top-level import name -> the extra that installs it (``pyproject.toml`` [project.optional-dependencies]).
PACKAGE_EXTRA = {
    "fastapi": "web", "uvicorn": "web", "starlette": "web", "h11": "web", "swagger_ui_bundle": "web",
    "dask": "dask", "distributed": "dask",
    "sgp4": "sim",
    "plotly": "report", "matplotlib": "report",
    "SALib": "sobol",
}

#: What each extra is for, in a few words (the hint names it).
EXTRA_PURPOSE = {
    "web": "the web page and JSON API",
    "dask": "sweeps on a Dask cluster",
    "sim": "the constellation twin",
    "report": "HTML reports and plots",
    "sobol": "Sobol sensitivity indices",
}


class MissingExtraError(OrbitaldcError):
    """An optional package is not installed; the message names the extra that brings it."""


def extra_for(module_name: str | None) -> str | None:
    """The extra that installs a module, or None for a module that is not optional.

    Parameters
    ----------
    module_name : str or None
        A dotted module name (``ModuleNotFoundError.name``), e.g. ``"fastapi.responses"``.

    Returns
    -------
    str or None
        The extra's name (``"web"``, ``"dask"``, ...), or None.

    References
    ----------
    .. [1] PEP 621, ``[project.optional-dependencies]`` (``pyproject.toml`` declares the extras).
    """
    if not module_name:
        return None
    return PACKAGE_EXTRA.get(module_name.split(".", 1)[0])


def missing_extra_message(module_name: str | None, what: str = "this command") -> str | None:
    """One line naming the extra to install, for a missing optional module.

    Parameters
    ----------
    module_name : str or None
        The module that failed to import (``ModuleNotFoundError.name``).
    what : str
        What needed it (e.g. ``"orbitaldc serve"``).

    Returns
    -------
    str or None
        ``"orbitaldc serve needs the optional package 'fastapi': install the [web] extra for
        the web page and JSON API (pip install 'orbitaldc[web]')"``, or None when the module is not an optional one
        (then the failure is a real bug and must not be disguised).

    References
    ----------
    .. [1] PEP 508 extras syntax: ``name[extra]``.
    """
    extra = extra_for(module_name)
    if extra is None:
        return None
    top = str(module_name).split(".", 1)[0]
    return (f"{what} needs the optional package {top!r}: install the [{extra}] extra for "
            f"{EXTRA_PURPOSE[extra]} (pip install 'orbitaldc[{extra}]')")


def require(module_name: str, what: str) -> None:
    """Import an optional module or raise :class:`MissingExtraError` naming its extra.

    Parameters
    ----------
    module_name : str
        Module to import (e.g. ``"uvicorn"``).
    what : str
        What needs it, for the message.

    Returns
    -------
    None

    Raises
    ------
    MissingExtraError
        The module (or one it imports) is not installed and belongs to an extra.

    References
    ----------
    .. [1] :func:`importlib.import_module`.
    """
    import importlib

    try:
        importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        message = missing_extra_message(exc.name, what)
        if message is None:
            raise
        raise MissingExtraError(message) from None
