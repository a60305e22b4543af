"""The Scenario value and its URL codec (analytics/model/scenario.py)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.model import scenario as sc
from analytics.model.scenario import DEFAULTS, FIELDS, Scenario, decode, encode


def _value(f):
    if f.pattern:
        return st.sampled_from(["all", "tungsten", "uranium", "rare_earths"])
    if f.choices:
        return st.sampled_from(f.choices)
    if f.name == "target_year":
        return st.integers(int(f.lo), int(f.hi))
    # values a slider can produce: multiples of its step
    return st.integers(0, int((f.hi - f.lo) / f.step)).map(lambda k, f=f: float(f.lo + k * f.step))


scenarios = st.fixed_dictionaries({f.name: _value(f) for f in FIELDS}).map(lambda d: Scenario(**d))


@settings(max_examples=200)
@given(scenarios)
def test_link_round_trip(s):
    decoded = decode(encode(s))
    assert decoded.scenario == s
    assert decoded.notices == ()


@settings(max_examples=200)
@given(st.data())
def test_any_value_in_range_survives_the_link_exactly(data):
    """Values off the slider's steps (a sweep's samples, a command line's flags) are not rounded by a link."""
    f = data.draw(st.sampled_from([f for f in FIELDS if not f.choices and not f.pattern and f.name != "target_year"]))
    value = data.draw(st.floats(f.lo, f.hi, allow_nan=False))
    s = DEFAULTS.replace(**{f.name: value})
    assert decode(encode(s)).scenario == s


def test_defaults_make_an_empty_link():
    assert encode(DEFAULTS) == {}
    assert decode({}).scenario == DEFAULTS


def test_only_changed_values_are_in_the_link():
    assert encode(DEFAULTS.replace(offtake_musd=250.0)) == {"v": "2", "offt": "250"}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([f.key for f in FIELDS] + ["v", "zzz", "s", ""]),
                       st.one_of(st.text(max_size=40), st.lists(st.text(max_size=10), max_size=3)),
                       max_size=8))
def test_no_query_string_raises(params):
    decoded = decode(params)
    assert isinstance(decoded.scenario, Scenario)


@pytest.mark.parametrize("key,raw", [("exim", "-5"), ("exim", "nan"), ("exim", "1e999"), ("year", "2031.5"),
                                     ("year", "1999"), ("obj", "drop table"), ("ruw", "<script>")])
def test_bad_value_falls_back_with_a_notice(key, raw):
    decoded = decode({"v": "2", key: raw})
    field = sc.FIELD_BY_KEY[key]
    assert getattr(decoded.scenario, field.name) == getattr(DEFAULTS, field.name)
    assert len(decoded.notices) == 1 and field.label in decoded.notices[0]


def test_unknown_keys_are_ignored_silently():
    assert decode({"v": "2", "utm_source": "x", "exim": "1200"}) == sc.Decoded(DEFAULTS.replace(budget_exim_musd=1200.0))


def test_a_retired_key_of_an_old_link_is_named_in_a_notice():
    decoded = decode({"v": "1", "lock": "30", "exim": "1200"})
    assert decoded.scenario.budget_exim_musd == 1200.0
    assert len(decoded.notices) == 1 and "no longer an input" in decoded.notices[0]


def test_a_first_version_link_keeps_counting_china_only():
    """Version 1 counted neither Russia nor transit: an old link keeps that meaning."""
    s = decode({"v": "1", "offt": "500"}).scenario
    assert (s.russia_weight_pct, s.transit_weight_pct) == (0.0, 0.0)
    assert decode({"v": "2"}).scenario.russia_weight_pct == DEFAULTS.russia_weight_pct


def test_unknown_version_is_read_as_current_with_a_notice():
    decoded = decode({"v": "99", "exim": "1200"})
    assert decoded.scenario.budget_exim_musd == 1200.0
    assert "version" in decoded.notices[0]


def test_validation_names_the_field():
    with pytest.raises(ValueError, match="offtake_musd"):
        Scenario(offtake_musd=-1)
    with pytest.raises(ValueError, match="objective"):
        Scenario(objective="maximise_profit")


def test_envelope_defaults_are_the_published_kazakh_envelopes(shipped_con):
    """A general envelope starts at the amount of the commitment it stands for (data/commitments.csv),
    and at 0 where no envelope for Kazakhstan is published, so the shipped base case is sourced."""
    from analytics.data import store
    c = store.table("commitments", shipped_con).set_index("commitment_id")
    for fid, budget in DEFAULTS.budgets_musd.items():
        cid = sc.ENVELOPE_COMMITMENTS.get(fid)
        expected = float(c.loc[cid, "amount_musd"]) if cid else 0.0
        assert budget == pytest.approx(expected), fid


def test_middle_corridor_default_matches_the_corridors_table(shipped_con):
    from analytics.data import store
    corr = store.table("corridors", shipped_con).set_index("corridor_id")
    assert DEFAULTS.middle_corridor_ktpy == pytest.approx(corr.loc["middle_corridor", "capacity_kt_per_yr"])


def test_old_links_keep_the_defaults_they_were_made_with(monkeypatch):
    """A v1 link written when EXIM's default was 900 omits exim. If v2 moves the default to 1200,
    the v1 link must still mean 900, while a v2 link without exim means 1200."""
    from dataclasses import asdict

    v1 = asdict(DEFAULTS.replace(budget_exim_musd=900.0))
    v2 = asdict(DEFAULTS.replace(budget_exim_musd=1200.0))
    monkeypatch.setattr(sc, "DEFAULTS_BY_VERSION", {1: v1, 2: v2})
    monkeypatch.setattr(sc, "URL_VERSION", 2)
    assert decode({"v": "1", "offt": "30"}).scenario.budget_exim_musd == 900.0
    assert decode({"v": "2", "lock": "30"}).scenario.budget_exim_musd == 1200.0


# ----------------------------------------------------------------------------- strict links (issue 8)

@pytest.mark.parametrize("raw", ["  250  ", "250 ", "1_000", "+5", "0x10", "1e2", "250.", ".5", "1,000", "NaN", "inf",
                                 "-0", "\u0662\u0665\u0660", "２５０", "250\x00", "9" * 40])
def test_link_value_not_written_as_a_plain_number_is_refused_with_the_range(raw):
    """'  250  ', '1_000', '+5', '0x10', '1e2'... are not taken with a silent change: each is refused
    and the notice says what is allowed and what is used instead."""
    decoded = decode({"v": "2", "exim": raw})
    assert decoded.scenario.budget_exim_musd == DEFAULTS.budget_exim_musd
    assert decoded.notices == (f"Ignored US EXIM general envelope = {sc._shown(raw)} from the link: allowed 0 to 5,000 M USD; "
                               "using the default 0 M USD.",)


def test_link_year_with_a_decimal_point_is_refused_with_the_years_allowed():
    decoded = decode({"v": "2", "year": "2031.0"})
    assert decoded.scenario.target_year == DEFAULTS.target_year
    assert "allowed the years 2026 to 2035" in decoded.notices[0]


def test_link_fmin_whole_is_refused_with_a_notice():
    decoded = decode({"v": "2", "fmin": "whole"}, {"financed_mineral": ("all", "tungsten", "uranium")})
    assert decoded.scenario.financed_mineral == "all"
    assert decoded.notices == ("Ignored Finance projects of = 'whole' from the link: allowed 'all' or one of the "
                               "data's ids (tungsten, uranium); using the default all.",)
    assert decode({"v": "2", "fmin": "tungsten"}, {"financed_mineral": ("all", "tungsten")}).notices == ()


def test_link_key_given_twice_says_which_value_is_used():
    decoded = decode({"v": "2", "exim": ["1500", "2000"]})
    assert decoded.scenario.budget_exim_musd == 2000.0
    assert decoded.notices == ("The link gives US EXIM general envelope 2 times ('1500', '2000'); using the last one if it is "
                               "allowed (0 to 5,000 M USD).",)
    assert decode({"v": "2", "exim": ["1500", "1500"]}).notices == ()


def test_refused_value_in_an_old_link_falls_back_to_that_version_default(monkeypatch):
    from dataclasses import asdict

    monkeypatch.setattr(sc, "DEFAULTS_BY_VERSION", {1: asdict(DEFAULTS.replace(budget_exim_musd=900.0)),
                                                    2: asdict(DEFAULTS.replace(budget_exim_musd=1200.0))})
    monkeypatch.setattr(sc, "URL_VERSION", 2)
    assert decode({"v": "1", "exim": "lots"}).notices[0].endswith("using the default 900 M USD.")
    assert decode({"v": "2", "exim": "lots"}).notices[0].endswith("using the default 1,200 M USD.")


def _in_range(f):
    if f.choices:
        return st.sampled_from(f.choices)
    if f.pattern:
        return st.sampled_from(["all", "tungsten"])
    if sc._KIND[f.name] == "int":
        return st.integers(int(f.lo), int(f.hi))
    return st.floats(f.lo, f.hi, allow_nan=False)


@settings(max_examples=300)
@given(st.fixed_dictionaries({f.name: _in_range(f) for f in FIELDS}))
def test_any_value_in_range_round_trips_exactly(values):
    s = Scenario(**values)
    decoded = decode(encode(s), {"financed_mineral": ("all", "tungsten")})
    assert decoded.scenario == s and decoded.notices == ()


@settings(max_examples=300)
@given(st.sampled_from([f for f in FIELDS if not f.choices and not f.pattern]), st.data())
def test_a_plain_number_in_range_is_taken_as_written(f, data):
    if sc._KIND[f.name] == "int":
        text = str(data.draw(st.integers(int(f.lo), int(f.hi))))
    else:
        text = data.draw(st.decimals(f.lo, f.hi, places=data.draw(st.integers(0, 4)), allow_nan=False,
                                     allow_infinity=False).map(lambda d: format(d, "f")))
    decoded = decode({"v": "2", f.key: text})
    assert decoded.notices == () and getattr(decoded.scenario, f.name) == (float(text) if "." in text else int(text))
