"""Analytics as CSV: one row per day, the columns people chart in a spreadsheet."""

from __future__ import annotations

import csv
import io

from clipdeck.analytics.selectors import Report

COLUMNS = (
    "day",
    "views",
    "watch_time_ms",
    "avg_completion",
    "likes",
    "comments",
    "shares",
    "new_followers",
)


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for day in report.daily:
        writer.writerow([day["day"].isoformat(), *(day[name] for name in COLUMNS[1:])])
    return out.getvalue()
