"""Plots of a simulation's series (matplotlib, headless): sunlight, power, battery, heat, compute."""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Most points drawn per curve; longer series are averaged into this many bins.
MAX_POINTS = 4000


def read_series(series_dir: str | Path, columns: list[str] | None = None):
    """Concatenate the Parquet parts of a run into one pandas DataFrame (ordered by time).

    Parameters
    ----------
    series_dir : str or Path
        ``series/`` folder of a run.
    columns : list of str, optional
        Columns to read (default all).

    Returns
    -------
    pandas.DataFrame

    References
    ----------
    .. [1] Apache Parquet file format (``pyarrow.parquet.read_table``).
    """
    import pandas as pd
    import pyarrow.parquet as pq

    parts = sorted(Path(series_dir).glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame()
    return pd.concat([pq.read_table(p, columns=columns).to_pandas() for p in parts], ignore_index=True)


def _binned(values: np.ndarray, bins: int) -> np.ndarray:
    if values.size <= bins:
        return values
    edges = np.linspace(0, values.size, bins + 1).astype(int)
    return np.add.reduceat(values, edges[:-1]) / np.diff(edges)


def plot_series(series_dir: str | Path, path: str | Path, title: str = "") -> Path | None:
    """Write a five-panel PNG of the run's constellation series; None if there is no series.

    Parameters
    ----------
    series_dir : str or Path
        ``series/`` folder of a run.
    path : str or Path
        PNG to write.
    title : str
        Figure title.

    Returns
    -------
    Path or None

    References
    ----------
    .. [1] J. D. Hunter, "Matplotlib: A 2D graphics environment", Comput. Sci. Eng. 9 (2007).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = ["time", "sunlit_fraction", "array_power_w", "compute_power_w", "battery_soc", "temperature_k",
            "active_gpus"]
    df = read_series(series_dir, cols)
    if df.empty:
        return None
    days = (df["time"] - df["time"].iloc[0]).dt.total_seconds().to_numpy() / 86400.0
    bins = MAX_POINTS
    x = _binned(days, bins)
    fig, axes = plt.subplots(5, 1, figsize=(10, 11), sharex=True)
    panels = [
        (("sunlit_fraction", "sunlit fraction", 1.0),),
        (("array_power_w", "array [MW]", 1e-6), ("compute_power_w", "useful compute [MW]", 1e-6)),
        (("battery_soc", "mean state of charge", 1.0),),
        (("temperature_k", "mean node temperature [K]", 1.0),),
        (("active_gpus", "active GPUs", 1.0),),
    ]
    for ax, group in zip(axes, panels):
        for col, label, scale in group:
            ax.plot(x, _binned(df[col].to_numpy(dtype=float) * scale, bins), lw=0.8, label=label)
        ax.set_ylabel(group[0][1] if len(group) == 1 else "MW")
        if len(group) > 1:
            ax.legend(loc="lower right", fontsize=8)
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("days from start")
    fig.suptitle(f"orbitaldc simulate {title}".strip())
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out
