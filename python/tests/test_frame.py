"""Policy.evaluate_frame and Policy.evaluate_many: the same decisions as Policy.evaluate, threads, chunks, and
bad rows that stay in their own row."""

import datetime
import threading
from decimal import Decimal

import numpy
import pandas
import pytest

import edict
from conftest import DEC_1_2023
from frames import ear_frame

AS_OF = datetime.date(2024, 6, 1)


def row_facts(row):
    """A frame row as the dict Policy.evaluate takes (an empty cell: the fact is left out)."""
    return {path: value for path, value in row.items() if value is not None and path != "as_of"}


def expected_row(policy, facts, as_of=AS_OF):
    try:
        r = policy.evaluate(facts, as_of=as_of)
    except edict.EvaluationError:
        return None
    return r.decision, tuple(r.classifications), tuple(r.deciding_rules)


def test_frame_equals_evaluate_row_by_row(ear):
    df = ear_frame(720)  # every product x destination x end user once
    out = ear.evaluate_frame(df, as_of=AS_OF)
    assert list(out.columns) == ["decision", "classifications", "deciding_rules", "error"]
    assert out.index.equals(df.index)
    assert out.error.isna().all()
    for i, row in df.iterrows():
        got = (out.decision[i], out.classifications[i], out.deciding_rules[i])
        assert got == expected_row(ear, row_facts(row.to_dict())), (i, row.to_dict())
    assert set(out.decision) >= {"license_required", "no_license_required"}


def test_one_bad_row_gives_an_error_in_that_row_only(ear):
    df = ear_frame(50)
    df.loc[7, "product.tpp"] = "lots"
    df.loc[9, "destination.country"] = "XX"
    df.loc[11, "product.tpp"] = 1.5  # a float in an object column: that row's error
    out = ear.evaluate_frame(df, as_of=AS_OF)
    assert "`product.tpp`: expected a number" in out.error[7]
    assert "destination.country" in out.error[9]
    assert "exact decimals" in out.error[11]
    for bad in (7, 9, 11):
        assert out.decision[bad] is None and out.classifications[bad] is None
    good = out.drop(index=[7, 9, 11])
    assert good.error.isna().all() and good.decision.notna().all()
    assert out.drop(index=[7, 9, 11]).equals(ear.evaluate_frame(df.drop(index=[7, 9, 11]), as_of=AS_OF))


def test_two_threads_and_many_chunks_give_the_same_frame(ear):
    df = ear_frame(70_000)  # more than two chunks of 32,768 rows
    one = ear.evaluate_frame(df, as_of=AS_OF, threads=1)
    two = ear.evaluate_frame(df, as_of=AS_OF, threads=2)
    pandas.testing.assert_frame_equal(one, two)
    assert one.iloc[:720].equals(ear.evaluate_frame(df.iloc[:720], as_of=AS_OF))
    assert one.iloc[69_000:].reset_index(drop=True).equals(
        ear.evaluate_frame(df.iloc[69_000:].reset_index(drop=True), as_of=AS_OF))


def test_concurrent_calls_from_python_threads(ear):
    df = ear_frame(5_000)
    expected = ear.evaluate_frame(df, as_of=AS_OF)
    results = [None] * 4

    def run(i):
        results[i] = ear.evaluate_frame(df, as_of=AS_OF, threads=2)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for r in results:
        pandas.testing.assert_frame_equal(r, expected)


def test_typed_columns_decimal_int_and_nullable(ear):
    df = ear_frame(720)
    decimal = df.assign(**{"product.tpp": df["product.tpp"].map(Decimal)})
    integer = df.assign(**{"product.io_bandwidth_gbps": df["product.io_bandwidth_gbps"].astype("int64")})
    nullable = df.assign(**{"product.io_bandwidth_gbps": df["product.io_bandwidth_gbps"].astype("Int64")})
    expected = ear.evaluate_frame(df, as_of=AS_OF)
    for frame in (decimal, integer, nullable):
        pandas.testing.assert_frame_equal(ear.evaluate_frame(frame, as_of=AS_OF), expected)


def test_values_that_do_not_fit_their_facts_give_evaluates_messages(ear):
    # The frame's typed setters convert each column as Policy.evaluate converts the same value: the same
    # error, word for word, whatever the column's dtype.
    df = ear_frame(4)
    misfits = {
        "product.name": numpy.array([7, 8, 9, 10], dtype="int64"),          # an int for a string fact
        "product.tpp": numpy.array([True, False, True, False]),             # a bool for a decimal fact
        "product.datacenter": pandas.to_datetime(["2024-01-02"] * 4),       # a date for a bool fact
        "transaction.quantity": pandas.array(["1.5", "2", "x", None], dtype=object),  # integer fact
        "destination.country": pandas.array(["CN", "XX", "us", "HK"], dtype=object),
    }
    for path, column in misfits.items():
        frame = df.assign(**{path: column})
        out = frame.pipe(ear.evaluate_frame, as_of=AS_OF)
        for i, row in frame.iterrows():
            facts = row_facts(row.to_dict())
            if isinstance(facts.get(path), pandas.Timestamp):
                facts[path] = facts[path].date()
            if isinstance(facts.get(path), numpy.generic):
                facts[path] = facts[path].item()
            try:
                r = ear.evaluate(facts, as_of=AS_OF)
                expected = (r.decision, None)
            except edict.EvaluationError as e:
                expected = (None, str(e))
            assert (out.decision[i], out.error[i]) == expected, (path, i)


def test_an_empty_cell_leaves_the_fact_out(ear):
    df = ear_frame(3)
    df["product.tpp"] = df["product.tpp"].astype(object)
    df.loc[1, "product.tpp"] = None
    out = ear.evaluate_frame(df, as_of=AS_OF)
    expected = expected_row(ear, row_facts(df.iloc[1].to_dict()))
    assert (out.decision[1], out.classifications[1], out.deciding_rules[1]) == expected
    assert out.error[1] is None
    ints = df.assign(**{"product.io_bandwidth_gbps": pandas.array([64, None, 64], dtype="Int64")})
    assert ints.pipe(ear.evaluate_frame, as_of=AS_OF).error.isna().all()


def test_a_float_column_is_refused_unless_allowed(ear):
    df = ear_frame(720)
    floats = df.assign(**{"product.die_area_mm2": df["product.die_area_mm2"].astype(float)})
    with pytest.raises(TypeError, match="exact decimals"):
        ear.evaluate_frame(floats, as_of=AS_OF)
    allowed = ear.evaluate_frame(floats, as_of=AS_OF, allow_float=True)
    pandas.testing.assert_frame_equal(allowed, ear.evaluate_frame(df, as_of=AS_OF))
    all_missing = df.assign(**{"end_user.name": numpy.nan})  # float64, every value missing: absent
    assert ear.evaluate_frame(all_missing, as_of=AS_OF).error.isna().all()


def test_as_of_column_of_dates_text_or_timestamps(ear):
    df = ear_frame(720)
    dates = [DEC_1_2023 if i % 2 else AS_OF for i in range(len(df))]
    expected = pandas.concat([ear.evaluate_frame(df.iloc[[i]], as_of=d) for i, d in enumerate(dates[:40])])
    for column in (dates, [d.isoformat() for d in dates], pandas.to_datetime(dates)):
        out = ear.evaluate_frame(df.assign(as_of=column), as_of="as_of")
        pandas.testing.assert_frame_equal(out.iloc[:40], expected)


def test_an_unset_or_bad_as_of_in_a_row_is_that_rows_error(ear):
    df = ear_frame(4).assign(as_of=[AS_OF, None, "2023-02-30", datetime.datetime(2024, 1, 1, 12)])
    out = ear.evaluate_frame(df, as_of="as_of")
    assert out.error[0] is None and out.decision[0]
    assert out.error[1] == "`as_of` is not set for this row"
    assert "2023-02-30" in out.error[2]
    assert "time of day" in out.error[3]
    stamps = df.assign(as_of=pandas.to_datetime(["2024-06-01", None, "2024-06-01 12:00", "2024-06-01"]))
    out = ear.evaluate_frame(stamps, as_of="as_of")
    assert out.error[1] == "`as_of` is not set for this row" and "time of day" in out.error[2]
    assert out.error[0] is None and out.error[3] is None


def test_as_of_is_required_for_a_frame(ear):
    with pytest.raises(TypeError, match="`as_of` is required"):
        ear.evaluate_frame(ear_frame(3), as_of=None)
    with pytest.raises(ValueError, match="not a date"):
        ear.evaluate_frame(ear_frame(3), as_of="no such column")


def test_columns_mapping_and_its_mistakes(ear):
    df = ear_frame(720)
    renamed = df.rename(columns={"product.tpp": "tpp", "destination.country": "to"})
    mapping = {c: c for c in df.columns}
    mapping.update({"product.tpp": "tpp", "destination.country": "to"})
    pandas.testing.assert_frame_equal(ear.evaluate_frame(renamed, as_of=AS_OF, columns=mapping),
                                      ear.evaluate_frame(df, as_of=AS_OF))
    with pytest.raises(ValueError, match="`product.tpx` is not a fact"):
        ear.evaluate_frame(df, as_of=AS_OF, columns={"product.tpx": "product.tpp"})
    with pytest.raises(KeyError, match="nope"):
        ear.evaluate_frame(df, as_of=AS_OF, columns={"product.tpp": "nope"})
    with pytest.raises(ValueError, match="no column of the frame"):
        ear.evaluate_frame(pandas.DataFrame({"x": [1]}), as_of=AS_OF)


def test_evaluate_many_equals_evaluate_and_keeps_bad_rows_to_themselves(ear, h800):
    rows = [row_facts(r) for r in ear_frame(100).to_dict("records")]
    rows[3] = {**rows[3], "product.tpp": 1.5}
    rows[4] = "not a dict"
    rows[5] = h800
    out = ear.evaluate_many(rows, as_of=DEC_1_2023, threads=2)
    assert "exact decimals" in out.error[3] and "must be a dict" in out.error[4]
    assert out.decision[5] == "license_required"
    for i, facts in enumerate(rows):
        if i not in (3, 4):
            expected = expected_row(ear, facts, DEC_1_2023)
            assert (out.decision[i], out.classifications[i], out.deciding_rules[i]) == expected
    with pytest.raises(TypeError, match="`as_of` is required"):
        ear.evaluate_many(rows, as_of=None)


def test_threads_must_be_sensible(ear):
    with pytest.raises(ValueError, match="threads"):
        ear.evaluate_frame(ear_frame(3), as_of=AS_OF, threads=0)
