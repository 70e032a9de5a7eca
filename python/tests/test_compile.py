"""edict.compile: paths and sources, CompileError with diagnostics as objects, the introspection API, and
shipping a policy as text."""

import datetime
import pickle

import pytest

import edict
from conftest import DEC_1_2023, EAR, ROOT


def test_compile_a_directory_a_file_list_and_sources_alike(ear):
    files = sorted(EAR.glob("*.edict"))
    assert edict.compile([str(f) for f in files]).digest == ear.digest
    assert edict.compile(EAR).digest == ear.digest  # a pathlib.Path


def test_compile_error_carries_the_diagnostics_as_objects():
    with pytest.raises(edict.CompileError) as error:
        edict.compile(str(ROOT / "tests" / "golden" / "policies" / "semantic_errors.edict"))
    diagnostics = error.value.diagnostics
    by_code = {d.code: d for d in diagnostics}
    unknown = by_code["unknown-name"]
    assert unknown.severity == "error"
    assert unknown.file.endswith("semantic_errors.edict")
    assert (unknown.line, unknown.column) == (19, 8)
    assert unknown.message == "unknown name `product.tpx`"
    assert unknown.help == "did you mean `product.tpp`?"
    assert "19:8: error[unknown-name]" in str(unknown)
    assert "error[unknown-name]" in str(error.value)  # the compiler's own rendering
    assert error.value.errors == [d for d in diagnostics if d.severity == "error"]


def test_compile_error_in_sources_names_the_source():
    with pytest.raises(edict.CompileError) as error:
        edict.compile({"bad.edict": 'policy "x"\n  outcomes a > b\n  default b\nend\nrule r\n  when\nend\n'})
    first = error.value.diagnostics[0]
    assert first.file == "bad.edict" and first.line > 0 and first.column > 0 and first.code


def test_compile_a_missing_path_is_a_compile_error():
    with pytest.raises(edict.CompileError) as error:
        edict.compile(str(ROOT / "no" / "such.edict"))
    assert error.value.diagnostics[0].code == "file-not-found"


def test_compile_takes_nothing_else():
    with pytest.raises(TypeError):
        edict.compile(42)


def test_introspection_lists_the_ear_facts_outcomes_and_rules(ear):
    assert ear.outcomes == ["license_required", "notify", "license_exception", "no_license_required"]
    assert ear.default_outcome == "no_license_required"
    facts = {f.path: f for f in ear.facts}
    assert facts["product.tpp"].type == "decimal"
    assert facts["product.datacenter"].type == "bool"
    assert facts["product.kind"].allowed_values == ["ic", "hbm", "computer", "model_weights"]
    assert facts["end_user.hq_country"].optional and facts["end_user.hq_country"].default == "destination.country"
    assert facts["transaction.quantity"].default == "1"
    rules = {r.name: r for r in ear.rules}
    assert "license_ac_2023" in rules
    version = rules["license_ac_2023"].versions[0]
    assert version.decides == "license_required" and version.citation
    assert isinstance(version.effective_from, datetime.date)
    assert any(r.exemption for r in ear.rules)
    assert "3A090.a" in ear.classifications
    assert ear.inventory().title.startswith("US EAR")
    assert '"outcomes"' in ear.inventory().to_json()


def test_a_policy_pickles_as_its_sources(ear, h800):
    again = pickle.loads(pickle.dumps(ear))
    assert again.digest == ear.digest
    assert again.evaluate(h800, as_of=DEC_1_2023).to_dict() == ear.evaluate(h800, as_of=DEC_1_2023).to_dict()


def test_a_bundle_is_the_text_and_is_checked_by_digest(ear):
    bundle = ear.to_bundle()
    assert all(path.endswith(".edict") and text for path, text in bundle["files"])
    assert len(bundle["files"]) == len(list(EAR.glob("*.edict")))
    assert edict.from_bundle(bundle).digest == ear.digest
    tampered = dict(bundle, files=[(p, t + "\n# changed\n") for p, t in bundle["files"]], digest="0" * 16)
    tampered["rules_as_of"] = "2024-01-01"  # a key not yet in the cache
    with pytest.raises(RuntimeError, match="digest"):
        edict.from_bundle(tampered)


def test_default_rules_as_of_of_a_policy(h800):
    early = edict.compile(str(EAR), rules_as_of="2023-01-01")
    assert early.rules_as_of.isoformat() == "2023-01-01"
    result = early.evaluate(h800, as_of=DEC_1_2023)
    assert result.rules_as_of.isoformat() == "2023-01-01"
