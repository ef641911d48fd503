"""Append every chain's current head to the anchors kept outside the database (settings.AUDIT_ANCHORS),
without verifying: cheap enough to run every few minutes. audit_verify checks them later."""

from django.core.management.base import BaseCommand

from concord.audit.anchors import anchors_write
from concord.audit.models import AuditChainHead


class Command(BaseCommand):
    help = "Write each access-log chain's head as an anchor outside the database."

    def handle(self, *args, **options):
        heads = list(AuditChainHead.objects.order_by("chain").values_list("chain", "last_sequence", "last_hash"))
        written = anchors_write(heads)
        if written is None:
            self.stdout.write("Nothing to anchor: the log is empty.")
            return
        self.stdout.write(f"{sum(1 for head in heads if head[1])} chain head(s) anchored in {written}")
