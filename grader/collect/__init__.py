"""``grader collect ARTIFACTS --out OUT``: the class's grades from the reports its CI runs produced.

When each student repository grades itself on GitHub Actions (see :mod:`grader.dist`),
the instructor downloads the runs' ``grader-report`` artifacts and collects them::

    from grader.collect import collect_reports
    result = collect_reports(config, Path("artifacts"), Path("out"))

The output is the same as ``grader grade``'s (a report per student, ``gradebook.csv``,
``index.html``), plus ``collected.json``: every report file found, whether it counted,
and why it is flagged (another grader version or configuration, an unknown exercise,
scores that do not add up).  Reports made in CI come from repositories the students
control: flags point at the grades to check, and ``grader grade`` on the repositories
themselves remains the authoritative grading.
"""

from grader.collect._collect import MANIFEST, CollectResult, Source, collect_reports
from grader.collect._find import find_reports
from grader.collect._verify import parse_report, verify_report

__all__ = ["collect_reports", "CollectResult", "Source", "MANIFEST", "find_reports", "parse_report",
           "verify_report"]
