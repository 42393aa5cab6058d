"""Submissions the report tests grade: the reference with one deliberate defect each, written into a folder.

Every edit must find its text in the reference, so a submission can never silently
become the correct program.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "reference" / "kmeans.py"
SKELETON = ROOT / "exercises" / "kmeans" / "kmeans.py"

#: What a hostile student prints and raises: markup that must reach every report as inert text.
PAYLOAD = ("<script>document.title='pwned'</script><img src=\"http://example.invalid/x.png\"> "
           "**bold** [link](http://example.invalid) ``` | &amp; \x1b[31m")

EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    # The course's vectorised variant: an empty cluster's center becomes the mean of nothing, NaN.
    "empty_cluster_nan": (("        if len(members) > 0:\n            new_centers[j] = members.mean(axis=0)",
                           "        new_centers[j] = members.mean(axis=0)"),),
    # The association phase with the L1 distance: wrong nearest centers in 2-D and up.
    "manhattan": (("squared = ((data[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)",
                   "squared = np.abs(data[:, None, :] - centers[None, :, :]).sum(axis=2)"),),
    # Markup in everything the student controls: printed output, exception messages.
    "hostile": (("import numpy as np\n", f"import numpy as np\n\nprint({PAYLOAD!r})\nprint('```')\n"),
                ("    new_centers = np.array(centers, dtype=float, copy=True)\n",
                 f"    new_centers = np.array(centers, dtype=float, copy=True)\n"
                 f"    if (labels == 0).all():\n        raise ValueError({PAYLOAD!r})\n")),
    # Code that raises as soon as it is imported.
    "crash_at_import": (("import numpy as np\n",
                         "import numpy as np\n\nraise RuntimeError('<b>boom</b> at import')\n"),),
    "syntax_error": (("def update(data, labels, centers):", "def update(data, labels, centers)"),),
}


def source(name: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    for old, new in EDITS[name]:
        if old not in text:
            raise AssertionError(f"submission {name}: {old!r} not found in the reference")
        text = text.replace(old, new)
    return text


def write(name: str, folder: Path) -> Path:
    """The submission ``name`` as ``folder/name/kmeans.py``."""
    path = folder / name / "kmeans.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source(name), encoding="utf-8")
    return path
