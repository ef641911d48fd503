"""`manage.py demo_logins`: the demo sign-ins, printed by `make run` before the server starts, and
the case to try the demo on (concord.demo.showcase) when the database has it."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from concord.demo import conferences, protocols, referrals, showcase
from concord.demo.partnership import DEMO_PASSWORD, DEMO_URL, login_rows

HEADINGS = ("E-mail", "Password", "Agency", "Role")


class Command(BaseCommand):
    help = "Print the demo partnership's sign-ins (e-mail, password, agency, role)."

    def handle(self, *args, **options) -> None:
        rows, previous = [], None
        for email, _job, agency, role in login_rows():
            # A second membership of the same person goes on the next line without repeating her e-mail.
            rows.append((email, DEMO_PASSWORD, agency, role) if email != previous else ("", "", agency, role))
            previous = email
        widths = [max(len(row[i]) for row in [HEADINGS, *rows]) for i in range(len(HEADINGS))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write(f"Concord demo partnership (Northshire) — open {DEMO_URL}")
        self.stdout.write("")
        self.stdout.write(line(HEADINGS))
        self.stdout.write(line(tuple("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write("Demo accounts skip two-factor sign-in only while the server runs in demo mode "
                          "(CONCORD_DEMO=1, as `make run` sets it); everywhere else they need TOTP like any account.")
        try:
            case = showcase.find()
        except DatabaseError:  # not migrated yet: there is no case to name
            case = None
        if case is not None:
            self.stdout.write("")
            self.stdout.write(showcase.try_line(case.reference))
            for line in (referrals.try_line(referrals.find()), protocols.try_line(), conferences.try_line()):
                if line:
                    self.stdout.write(line)
