"""The access log: an append-only, hash-chained record of every read and write of case data, the
"who has seen this record" report, access-pattern review, and the retention of closed cases."""
