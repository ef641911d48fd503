"""`name_key__similar_to`: a name like this one (pg_trgm's `%`, which the names' trigram indexes serve),
for the search's second try when no name has every word. PostgreSQL only; elsewhere the caller falls
back to comparing in Python (concord.cases.selectors)."""

from django.db import NotSupportedError
from django.db.models import Lookup


class SimilarTo(Lookup):
    lookup_name = "similar_to"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %% {rhs}", [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        raise NotSupportedError("name_key__similar_to needs PostgreSQL's pg_trgm.")
