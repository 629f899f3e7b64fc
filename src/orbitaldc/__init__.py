"""orbitaldc: does AI compute in orbit cost less than the same compute on the ground?

The version comes from the installed distribution's metadata (``pyproject.toml`` is its one
source), so ``orbitaldc --version``, the web page, the report and ``orbitaldc.__version__``
always agree.
"""

from importlib.metadata import PackageNotFoundError as _NotInstalled
from importlib.metadata import version as _version

try:
    __version__ = _version("orbitaldc")
except _NotInstalled:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"
