"""Name who, besides an agency's supervisors, approves casework access in an area (decision 9).

Run by the operator on the server, never through the web app, so that the administrator role
cannot name itself:

    manage.py area_approvers NTH --list
    manage.py area_approvers NTH --add jo@example.org --named-by "J. Operator, ticket 123"
    manage.py area_approvers NTH --remove jo@example.org --named-by "J. Operator"
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import Area, AreaApprover, Membership, Role, User


class Command(BaseCommand):
    help = "List, name or remove an area's approvers of casework memberships and service tokens."

    def add_arguments(self, parser):
        parser.add_argument("area", help="The area's code, e.g. NTH.")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--list", action="store_true")
        action.add_argument("--add", metavar="EMAIL")
        action.add_argument("--remove", metavar="EMAIL")
        parser.add_argument("--named-by", default="", help="Who asks for this change (kept with it).")

    def handle(self, *args, **options):
        try:
            area = Area.objects.get(code=options["area"].upper())
        except Area.DoesNotExist:
            raise CommandError(f"No area with code {options['area']!r}.") from None
        if options["list"]:
            for approver in AreaApprover.objects.filter(area=area, removed_at__isnull=True).select_related("user"):
                self.stdout.write(f"{approver.user.email}\t{approver.named_at:%Y-%m-%d}\t{approver.named_by}")
            return
        if not options["named_by"].strip():
            raise CommandError("Say who asks for this change with --named-by.")
        user = User.objects.filter(email__iexact=options["add"] or options["remove"]).first()
        if user is None:
            raise CommandError("No account with that e-mail address.")
        with transaction.atomic():
            if options["add"]:
                self._add(area, user, options["named_by"])
            else:
                removed = AreaApprover.objects.filter(area=area, user=user, removed_at__isnull=True)
                for approver in removed:
                    approver.removed_at = timezone.now()
                    approver.save()
                self.stdout.write(f"Removed {user.email}." if removed else f"{user.email} was not an approver.")

    def _add(self, area, user, named_by):
        if user.is_service_account or not user.is_active:
            raise CommandError("Only an active person can approve.")
        if Membership.objects.filter(user=user, agency__area=area, role=Role.ADMINISTRATOR, is_active=True).exists():
            raise CommandError("An administrator of the area cannot be its approver: approving is what an "
                               "administrator alone must not do.")
        if AreaApprover.objects.filter(area=area, user=user, removed_at__isnull=True).exists():
            self.stdout.write(f"{user.email} is already an approver.")
            return
        AreaApprover.objects.create(area=area, user=user, named_by=named_by.strip()[:200])
        self.stdout.write(f"{user.email} now approves casework access in {area}.")
