"""The course's visualisation: points coloured by cluster, centers drawn on top.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no GUI backend),
so reports can draw them anywhere; ``draw_clustering`` also draws on a pyplot axis.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["nearest_labels", "draw_clustering", "clustering_figure"]


def nearest_labels(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest center of each point, as the course's visual script colours them."""
    points = np.asarray(points, dtype=float)
    centers = np.asarray(centers, dtype=float)
    squared = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    return squared.argmin(axis=1)


def _colours(k: int) -> np.ndarray:
    from matplotlib import colormaps

    return colormaps["rainbow"](np.linspace(0.0, 1.0, max(k, 1)))


def draw_clustering(
    ax,
    points: np.ndarray,
    centers: np.ndarray,
    labels: Optional[np.ndarray] = None,
    *,
    title: Optional[str] = None,
    center_marker: str = "x",
) -> None:
    """Draw ``points`` coloured by ``labels`` (default: nearest center) and ``centers`` on ``ax``.

    1-D points are drawn on a line, 2-D in the plane; 3-D needs an axis made with
    ``projection="3d"`` and gets the course's large black crosses for centers.
    """
    points = np.atleast_2d(np.asarray(points, dtype=float))
    centers = np.atleast_2d(np.asarray(centers, dtype=float))
    if labels is None:
        labels = nearest_labels(points, centers)
    labels = np.asarray(labels).astype(int, copy=False)
    colours = _colours(len(centers))
    valid = (labels >= 0) & (labels < len(centers))
    point_colours = np.where(valid[:, None], colours[np.clip(labels, 0, len(centers) - 1)], (0.5, 0.5, 0.5, 1.0))
    ndim = points.shape[1]
    finite = np.isfinite(centers).all(axis=1)
    if ndim == 3:
        ax.scatter(points[:, 0], points[:, 1], points[:, 2], c=point_colours, s=12)
        ax.scatter(*centers[finite].T, c="black", marker=center_marker, s=150, linewidths=3)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_zlabel("z")
    else:
        ys = points[:, 1] if ndim >= 2 else np.zeros(len(points))
        cys = centers[:, 1] if ndim >= 2 else np.zeros(len(centers))
        ax.scatter(points[:, 0], ys, c=point_colours, s=16)
        ax.scatter(centers[finite, 0], cys[finite], c=colours[finite], marker=center_marker, s=160, linewidths=3)
        ax.set_xlabel("x")
        if ndim >= 2:
            ax.set_ylabel("y")
        else:
            ax.set_yticks([])
    if title:
        ax.set_title(title)


def clustering_figure(
    points: np.ndarray,
    centers: np.ndarray,
    labels: Optional[np.ndarray] = None,
    *,
    title: Optional[str] = None,
    size: Sequence[float] = (6.0, 5.0),
) -> Figure:
    """A one-panel figure of the clustering, in 1-D, 2-D or 3-D."""
    figure = Figure(figsize=(float(size[0]), float(size[1])))
    ndim = np.atleast_2d(np.asarray(points)).shape[1]
    ax = figure.add_subplot(projection="3d" if ndim == 3 else None)
    draw_clustering(ax, points, centers, labels, title=title)
    figure.tight_layout()
    return figure

