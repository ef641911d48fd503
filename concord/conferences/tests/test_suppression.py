"""Small-number suppression: counts from 1 to the threshold less one are not published, zeros are; an
equation of published counts never has exactly one member suppressed; a share of a suppressed count is
suppressed with it."""

from concord.conferences.suppression import Sum, primary, suppressed_cells, suppressed_derived


def test_a_count_one_below_the_threshold_is_suppressed_and_the_threshold_itself_is_shown():
    assert primary({"a": 4, "b": 5, "c": 1, "d": 120}, threshold=5) == {"a", "c"}


def test_a_zero_is_shown():
    assert primary({"none": 0}, threshold=5) == set()


def test_a_threshold_of_one_suppresses_nothing():
    assert suppressed_cells({"a": 1, "b": 0, "total": 1}, 1, [Sum("total", ("a", "b"))]) == frozenset()


def test_one_suppressed_part_takes_the_next_smallest_with_it():
    counts = {"a": 3, "b": 10, "c": 7, "total": 20}
    assert suppressed_cells(counts, 5, [Sum("total", ("a", "b", "c"))]) == {"a", "c"}


def test_the_next_smallest_is_never_a_zero():
    counts = {"a": 3, "b": 0, "c": 20, "total": 23}
    assert suppressed_cells(counts, 5, [Sum("total", ("a", "b", "c"))]) == {"a", "c"}


def test_between_equal_parts_the_first_listed_goes():
    counts = {"a": 2, "b": 9, "c": 9, "total": 20}
    assert suppressed_cells(counts, 5, [Sum("total", ("a", "b", "c"))]) == {"a", "b"}


def test_two_suppressed_parts_need_no_more():
    counts = {"a": 3, "b": 2, "c": 30, "total": 35}
    assert suppressed_cells(counts, 5, [Sum("total", ("a", "b", "c"))]) == {"a", "b"}


def test_a_suppressed_total_with_every_part_shown_takes_the_smallest_part():
    # The total is suppressed by another equation; adding its parts up would give it back.
    counts = {"x": 6, "y": 14, "sub": 20, "other": 3, "all": 23}
    sums = [Sum("all", ("sub", "other")), Sum("sub", ("x", "y"))]
    assert suppressed_cells(counts, 5, sums) == {"other", "sub", "x"}


def test_with_only_zeros_left_beside_it_the_total_goes():
    # x is suppressed and a (the next smallest) with it; the second equation would then give a back as
    # its total (its other part is zero): the total goes too.
    counts = {"x": 3, "a": 9, "y": 40, "xay": 52, "zero": 0, "total": 9}
    sums = [Sum("xay", ("x", "a", "y")), Sum("total", ("a", "zero"))]
    assert suppressed_cells(counts, 5, sums) == {"x", "a", "total"}


def test_an_equation_with_two_suppressed_leaves_its_total_shown():
    counts = {"a": 7, "zero": 0, "total": 7, "a_small": 2, "a_rest": 5}
    sums = [Sum("a", ("a_small", "a_rest")), Sum("total", ("a", "zero"))]
    assert suppressed_cells(counts, 5, sums) == {"a_small", "a_rest"}


def test_a_share_of_a_suppressed_count_is_suppressed():
    derived = {"repeat_percent": ("repeat", "discussed"), "rate": ("discussed",)}
    assert suppressed_derived(derived, {"repeat"}) == {"repeat_percent"}
    assert suppressed_derived(derived, {"discussed"}) == {"repeat_percent", "rate"}
    assert suppressed_derived(derived, set()) == frozenset()
