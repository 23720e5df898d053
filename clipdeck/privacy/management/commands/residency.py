"""``clipdeck residency report [--json]``: where each class of data lives."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from clipdeck.privacy.residency import residency_report


class Command(BaseCommand):
    help = "Report where each class of data lives and whether that matches the residency policy."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="print the residency report")
        report.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        report = residency_report()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(f"Cell region: {report['region']}")
        self.stdout.write("Locations:")
        for place in report["locations"]:
            state = "ok" if place["ok"] else "BREAKS POLICY"
            if not place["configured"]:
                state = "not configured"
            verified = (
                f"{place['verified']} ({place['verified_how']})"
                if place["verified"]
                else "not verified"
            )
            self.stdout.write(
                f"  {place['name']:<9} region {place['region'] or '?':<4} "
                f"allowed {','.join(place['allowed']):<8} {state:<14} {place['where']}\n"
                f"  {'':<9} declared {place['declared'] or 'unset'} "
                f"({place['region_setting']}), verified {verified}"
            )
        self.stdout.write("Data classes:")
        for name, entry in report["classes"].items():
            where = "; ".join(
                f"{p['location']} ({p['region']}) {'ok' if p['ok'] else 'BREAKS POLICY'}"
                for p in entry["stored_in"]
            )
            self.stdout.write(f"  {name:<9} {entry['fields']:>3} fields: {where}")
        for problem in report["violations"]:
            self.stderr.write(f"Policy breach: {problem}")
        if not report["ok"]:
            raise CommandError("The residency policy is broken (see above).")
        self.stdout.write("Policy: met")
