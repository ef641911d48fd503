from concord.cases.models import Case


def case_label(area, number: int) -> Case:
    """An unsaved case standing in for one that exists: the log keeps only its id, area and reference,
    so tests of the log need not open real cases."""
    return Case(pk=number, area_id=area.pk, reference=f"NTH-2026-{number:05d}")
