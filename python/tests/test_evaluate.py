"""Policy.evaluate: decisions, the CLI's JSON, exact numbers, dates, and every kind of bad input."""

import datetime
import json
import os
import pathlib
import subprocess
from decimal import Decimal

import pytest

import edict
from conftest import DEC_1_2023, EAR, ROOT


def test_h800_to_china_on_2023_12_01_needs_a_license(ear, h800):
    result = ear.evaluate(h800, as_of=DEC_1_2023)
    assert result.ok
    assert result.decision == "license_required"
    assert "3A090.a" in result.classifications
    assert result.deciding_rules  # named rules, with their reasons and citations
    assert len(result.reasons) >= 1 and len(result.citations) >= 1
    assert result.as_of == DEC_1_2023
    assert result.rules_as_of is None
    assert result.policy_digest == ear.digest


def test_h800_to_germany_needs_no_license(ear, h800):
    h800["destination"]["country"] = "DE"
    assert ear.evaluate(h800, as_of="2023-12-01").decision == "no_license_required"


def golden_json(case):
    expected = (ROOT / "tests" / "golden" / "cases" / case / "expected").read_text()
    return json.loads(expected.split("\n--- stderr ---")[0])


def test_to_dict_equals_the_golden_cli_json(ear, h800):
    result = ear.evaluate(h800, as_of=datetime.date(2024, 1, 2))
    golden = golden_json("ear_h800_cn_2024_json")
    # The content digest names the files relative to the pack: the CLI's, from the repository root, is the same.
    assert result.to_dict() == golden
    assert ear.digest == golden["policy_digest"]
    assert json.loads(result.to_json()) == result.to_dict()


@pytest.mark.skipif(not os.environ.get("EDICT_CLI"), reason="EDICT_CLI (the edict binary) is not set")
@pytest.mark.parametrize("trace", [False, True])
def test_to_dict_equals_the_cli_run_now(ear, h800, trace):
    args = [os.environ["EDICT_CLI"], "eval", str(EAR), "--facts", str(EAR / "catalog" / "h800.json"),
            "--set", "destination.country=CN", "--as-of", "2023-12-01", "--format", "json"]
    cli = subprocess.run(args + (["--trace"] if trace else []), capture_output=True, text=True, check=True, cwd=ROOT)
    assert ear.evaluate(h800, as_of=DEC_1_2023, trace=trace).to_dict() == json.loads(cli.stdout)


def test_dotted_keys_and_nested_dicts_are_the_same_facts(ear, h800):
    dotted = {f"{group}.{key}": value for group, values in h800.items() for key, value in values.items()}
    assert ear.evaluate(dotted, as_of=DEC_1_2023).to_dict() == ear.evaluate(h800, as_of=DEC_1_2023).to_dict()


def test_dates_as_date_or_iso_text(ear, h800):
    a = ear.evaluate(h800, as_of=DEC_1_2023, rules_as_of=datetime.date(2023, 12, 1))
    b = ear.evaluate(h800, as_of="2023-12-01", rules_as_of="2023-12-01")
    assert a.to_dict() == b.to_dict()
    assert a.rules_as_of == datetime.date(2023, 12, 1)


def test_numbers_as_int_decimal_or_text_are_exact(ear, h800):
    # Performance density 2054.24 / 347 is exactly 5.92 (3A090.a); one hundredth less is below it.
    product = {"name": "X", "manufacturer": "Acme", "kind": "ic", "die_area_mm2": 347, "io_bandwidth_gbps": 100,
               "datacenter": True}
    as_of = datetime.date(2024, 6, 1)

    def classes(tpp):
        return ear.evaluate({"product": {**product, "tpp": tpp}, "destination": {"country": "CN"}},
                            as_of=as_of).classifications

    assert classes(Decimal("2054.24")) == classes("2054.24") == ["3A090.a"]
    assert classes(Decimal("2054.23")) == classes("2054.23") == ["3A090.b"]
    assert classes(Decimal("2.05424E+3")) == ["3A090.a"]  # exponent form is exact too
    assert classes(2054) == classes("2054")
    assert classes(10**30) == classes(str(10**30))  # beyond 64 bits: decimal text


def test_a_float_is_refused_with_the_reason(ear, h800):
    h800["product"]["tpp"] = 15832.0
    with pytest.raises(TypeError, match="exact decimals") as error:
        ear.evaluate(h800, as_of=DEC_1_2023)
    assert "product.tpp" in str(error.value) and "allow_float" in str(error.value)


def test_a_float_is_taken_at_its_shortest_repr_when_allowed(ear, h800):
    exact = ear.evaluate(h800, as_of=DEC_1_2023).to_dict()
    h800["product"]["tpp"] = 15832.0
    assert ear.evaluate(h800, as_of=DEC_1_2023, allow_float=True).to_dict() == exact
    h800["product"]["tpp"] = 4800.1  # its shortest repr "4800.1", not 4800.1000000000003637978807091712951660...
    as_float = ear.evaluate(h800, as_of=DEC_1_2023, allow_float=True, trace=True).to_dict()
    h800["product"]["tpp"] = Decimal("4800.1")
    assert as_float == ear.evaluate(h800, as_of=DEC_1_2023, trace=True).to_dict()
    assert "4800.1000" not in json.dumps(as_float)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_float_that_is_not_finite_is_refused_even_when_allowed(ear, h800, value):
    h800["product"]["tpp"] = value
    with pytest.raises(ValueError, match="not a finite number"):
        ear.evaluate(h800, as_of=DEC_1_2023, allow_float=True)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_decimal_that_is_not_finite_is_refused(ear, h800, value):
    h800["product"]["tpp"] = value
    with pytest.raises(ValueError, match="not a finite number"):
        ear.evaluate(h800, as_of=DEC_1_2023)


@pytest.mark.parametrize("path, value, message", [
    ("tpp", "lots", "`product.tpp`: expected a number"),
    ("datacenter", "yes", "`product.datacenter`: expected true or false"),
    ("kind", "gpu", "`product.kind`: \"gpu\" is not one of"),
    ("name", 7, "`product.name`: expected a string"),
])
def test_facts_that_do_not_fit_the_schema_raise_evaluation_error(ear, h800, path, value, message):
    h800["product"][path] = value
    with pytest.raises(edict.EvaluationError) as error:
        ear.evaluate(h800, as_of=DEC_1_2023)
    assert any(message in e for e in error.value.errors), error.value.errors
    assert not error.value.limit_exceeded
    assert error.value.result.decision is None


def test_an_unknown_country_code_is_an_error(ear, h800):
    h800["destination"]["country"] = "XX"
    with pytest.raises(edict.EvaluationError, match="destination.country"):
        ear.evaluate(h800, as_of=DEC_1_2023)


@pytest.mark.parametrize("value", [[1, 2], {1, 2}, object(), b"15832"])
def test_a_value_of_another_python_type_is_a_type_error(ear, h800, value):
    h800["product"]["tpp"] = value
    with pytest.raises(TypeError, match="cannot be a fact value"):
        ear.evaluate(h800, as_of=DEC_1_2023)


def test_a_fact_given_twice_is_refused(ear, h800):
    h800["product.tpp"] = 1
    with pytest.raises(ValueError, match="duplicate fact `product.tpp`"):
        ear.evaluate(h800, as_of=DEC_1_2023)


def test_as_of_is_required(ear, h800):
    with pytest.raises(TypeError):
        ear.evaluate(h800)  # pylint: disable=no-value-for-parameter
    with pytest.raises(TypeError, match="`as_of` is required"):
        ear.evaluate(h800, as_of=None)


@pytest.mark.parametrize("as_of, error", [
    ("2023-02-29", ValueError), ("12/01/2023", ValueError), (20231201, TypeError),
    (datetime.datetime(2023, 12, 1, 9, 30), ValueError),
    (datetime.datetime(2023, 12, 1, tzinfo=datetime.timezone.utc), ValueError),
])
def test_a_bad_as_of_is_refused(ear, h800, as_of, error):
    with pytest.raises(error, match="as_of"):
        ear.evaluate(h800, as_of=as_of)


def test_a_datetime_at_midnight_is_its_date(ear, h800):
    midnight = datetime.datetime(2023, 12, 1)
    assert ear.evaluate(h800, as_of=midnight).to_dict() == ear.evaluate(h800, as_of=DEC_1_2023).to_dict()


def test_a_fact_string_over_the_limit_is_an_error_not_a_crash(ear, h800):
    h800["product"]["name"] = "x" * (64 * 1024 + 1)
    with pytest.raises(edict.EvaluationError, match="more than the limit"):
        ear.evaluate(h800, as_of=DEC_1_2023)


def doubling_groups():
    """g0 = {US}, g(k) = g(k-1) union g(k-1): testing a non-member visits 2^41 nodes (as tests/unit/api)."""
    text = ('policy "Steps"\n  outcomes deny > allow\n  default allow\nend\nuse iso3166\n'
            'fact destination.country : country "Destination"\ngroup g0 : country\n  members {US}\nend\n')
    text += "".join(f"group g{k} : country = g{k - 1} union g{k - 1} end\n" for k in range(1, 41))
    return text + 'rule r\n  title "t"\n  citation "c"\n  when destination.country in g40\n  then deny\nend\n'


def test_an_evaluation_over_the_step_limit_is_an_error_not_a_crash():
    policy = edict.compile({"steps.edict": doubling_groups()})
    with pytest.raises(edict.EvaluationError, match="evaluation steps") as error:
        policy.evaluate({"destination": {"country": "CN"}}, as_of="2024-01-01")
    assert error.value.limit_exceeded
    assert policy.evaluate({"destination": {"country": "US"}}, as_of="2024-01-01").decision == "deny"
    frame = policy.evaluate_many([{"destination.country": "CN"}, {"destination.country": "US"}], as_of="2024-01-01")
    assert "evaluation steps" in frame.error[0] and frame.decision[0] is None
    assert frame.decision[1] == "deny" and frame.error[1] is None


def test_trace(ear, h800):
    result = ear.evaluate(h800, as_of=DEC_1_2023, trace=True)
    assert result.trace and all("kind" in step for step in result.trace)
    # The decision, then a step per output with a value (none of the EAR pack's three for this case).
    assert result.trace[-1]["kind"] == "decision"
    assert "license_required" in result.explain()
    assert ear.evaluate(h800, as_of=DEC_1_2023).trace is None


def test_unknown_facts_are_warnings(ear, h800):
    h800["product"]["colour"] = "green"
    result = ear.evaluate(h800, as_of=DEC_1_2023)
    assert result.warnings == ["unknown fact `product.colour` is ignored"]


def test_missing_facts_give_indeterminate_not_an_error(ear):
    result = ear.evaluate({"destination": {"country": "CN"}}, as_of=DEC_1_2023)
    assert result.decision == "indeterminate"
    assert "product.tpp" in result.indeterminate_facts


def test_unknown_nested_objects_warn_as_the_cli_does(ear):
    result = ear.evaluate({"foo": {"bar": 1}, "product": {"tpp": 1}}, as_of="2024-01-01")
    assert result.warnings == ["unknown fact `foo` is ignored", "unknown fact `foo.bar` is ignored"]


def test_values_and_obligations_are_exact_python_values(ear, h800):
    # NAC (notify) for a 3A090.b chip to China: the deadline 25 days before the export, and the obligation.
    chip = {"product": {"name": "Test IC", "manufacturer": "Example Corp", "kind": "ic", "tpp": 2400,
                        "die_area_mm2": 1000, "datacenter": True}, "destination": {"country": "CN"}}
    result = ear.evaluate(chip, as_of=datetime.date(2024, 6, 1))
    assert result.decision == "notify"
    assert result.values["nac_notify_by"] == datetime.date(2024, 5, 7)
    assert result.value_states["nac_notify_by"] == "set"
    assert result.value_states["lpp_allowance_left"] == "unset" and result.values["lpp_allowance_left"] is None
    assert result.obligations == [{"name": "Notify BIS of the export under License Exception NAC",
                                   "due": datetime.date(2024, 5, 7), "citation": "15 CFR 740.8(b)", "by": "NAC",
                                   "possible": False}]
    # The same as the JSON, value for value.
    as_json = result.to_dict()
    assert as_json["values"]["nac_notify_by"] == "2024-05-07"


def test_a_decimal_value_is_a_decimal_and_a_string_a_str():
    # The AI Diffusion rule as written (rulebook of 2025-05-12): one H100 to India under LPP.
    ear_2025 = edict.compile(str(EAR), rules_as_of="2025-05-12")
    h100 = json.loads((EAR / "catalog" / "h100.json").read_text())
    h100["destination"] = {"country": "IN"}
    result = ear_2025.evaluate(h100, as_of="2025-06-02")
    assert result.decision == "license_exception"
    assert result.values["lpp_allowance_left"] == Decimal("26884168")
    assert isinstance(result.values["lpp_allowance_left"], Decimal)
    assert result.values["diffusion_tier_applied"] == "tier2"


def test_an_indeterminate_rule_gives_a_possible_obligation(ear):
    # Without the destination NAC is indeterminate: its obligation is possible, its deadline indeterminate.
    chip = {"product": {"name": "Test IC", "manufacturer": "Example Corp", "kind": "ic", "tpp": 2400,
                        "die_area_mm2": 1000, "datacenter": True}}
    result = ear.evaluate(chip, as_of="2024-06-01")
    assert result.decision == "indeterminate"
    assert result.value_states["nac_notify_by"] == "indeterminate" and result.values["nac_notify_by"] is None
    assert [o["possible"] for o in result.obligations] == [True]
