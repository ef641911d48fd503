"""Django's flush, able to empty the access log and the consent ledger as well.

flush empties every table; the access log's triggers would refuse that. Between transactional tests
(transactional_db, live_server) pytest-django calls flush, so without this every such test in the
project would fail. The triggers are lifted inside the same transaction as the flush, so they are
back whatever happens. On PostgreSQL lifting them needs ownership of the table, which the production
application role does not have: there, flush still fails, as it should.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction

from concord.audit import protection
from concord.consent import protection as ledger_protection


class Command(DjangoFlush):
    help = DjangoFlush.help + " The access log's append-only triggers are lifted while it runs."

    def handle(self, **options):
        connection = connections[options["database"]]
        if protection.TABLE not in connection.introspection.table_names():
            return super().handle(**options)
        with (transaction.atomic(using=connection.alias), protection.suspended(connection),
              ledger_protection.suspended(connection)):
            return super().handle(**options)
