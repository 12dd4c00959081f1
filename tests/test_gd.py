"""The gd kind's domain: the simulator against the syllabus's numbers, the feedback each kind of
run gets, reading a learner's setting, and the block's own checks (tutor/gd)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessonkit import FIXTURES
from tutor.gd.exercise import block_problems, check_gd, self_check
from tutor.gd.judge import DIVERGED, MET, OSCILLATES, STALLS, TOO_SLOW, SettingError, judge, read_setting
from tutor.gd.objective import ObjectiveError, from_dataset, from_expression
from tutor.gd.setup import read_setup
from tutor.gd.simulate import simulate
from tutor.lessons.loader import load_course

COURSE = load_course(FIXTURES / "gd")


def data(exercise_id: str) -> dict:
    return COURSE.exercise(exercise_id).data


def setup_of(exercise_id: str):
    setup, problems = read_setup(data(exercise_id))
    assert setup is not None, problems
    return setup


def outcome(exercise_id: str, answer: str):
    setup = setup_of(exercise_id)
    return judge(setup, read_setting(setup, answer))


# -- the simulator, against the syllabus -------------------------------------------------------------


def test_plain_gd_follows_the_worked_example():
    # gradient-descent-1d [seed 000]: x_k = 3 − 3·0.8^k, x_50 = 2.9999571826.
    run = simulate(from_expression("(x-3)^2 + 1"), [0], "gd", {"lr": 0.1}, 50)
    assert run.path[1:5, 0] == pytest.approx([0.6, 1.08, 1.464, 1.7712])
    assert run.final[0] == pytest.approx(2.9999571826, abs=1e-10)
    assert not run.diverged and len(run.path) == 51


def test_learning_rate_e1_accepted_region_and_its_failures():
    # Every α in [0.0031, 0.0353] works; just outside does not; 0.0485–0.0575 happen to work too.
    for alpha in ("0.0031", "0.005", "0.01", "0.02", "0.03", "0.0353", "0.05", "0.0575"):
        assert outcome("learning-rate/e1", alpha).passed, alpha
    for alpha in ("0.003", "0.0354", "0.04", "0.058"):
        assert not outcome("learning-rate/e1", alpha).passed, alpha
    reference = outcome("learning-rate/e1", "0.01")
    assert reference.code == MET and "at step 27" in reference.message  # the syllabus: reaches it at step 27
    assert reference.run.final[0] == pytest.approx(2.25, abs=1e-9)


def test_learning_rate_e1_feedback_says_what_went_wrong():
    diverged = outcome("learning-rate/e1", "0.1")
    assert diverged.code == DIVERGED and diverged.run.diverged_at == 3
    assert "diverged at step 3" in diverged.message
    assert diverged.run.path[1:, 0] == pytest.approx([-7.2, 188.755], rel=1e-5)  # x1, x2 of the syllabus
    slow = outcome("learning-rate/e1", "0.001")
    assert slow.code == TOO_SLOW and slow.run.final[0] == pytest.approx(2.33671, abs=1e-5)
    assert "95% of the way" in slow.message and "x = 2.33671" in slow.message
    stalled = outcome("learning-rate/e1", "0.04")
    assert stalled.code == STALLS and abs(stalled.run.final[0]) < 0.05  # near the flat point x = 0
    assert stalled.run.path[1, 0] == pytest.approx(-0.48)  # overshoots to −0.48 on step 1


def test_learning_rate_e5_final_loss_on_seed_002_data():
    reference = outcome("learning-rate/e5", "0.02")
    assert reference.passed and reference.measure == pytest.approx(3.23891, abs=5e-6)
    assert reference.run.losses[0] == pytest.approx(336.635, abs=5e-4)
    # The syllabus's table of final losses after 200 iterations.
    for alpha, final in (("1e-5", 262.719), ("0.001", 4.08085), ("0.01", 3.34280), ("0.03", 3.22768)):
        assert outcome("learning-rate/e5", alpha).measure == pytest.approx(final, abs=5e-5 * final)
    # The accepted range is about [0.0121, 0.0313].
    assert outcome("learning-rate/e5", "0.0121").passed and outcome("learning-rate/e5", "0.0313").passed
    assert not outcome("learning-rate/e5", "0.012").passed and not outcome("learning-rate/e5", "0.0314").passed
    assert outcome("learning-rate/e5", "0.0316").code == OSCILLATES
    assert outcome("learning-rate/e5", "0.0316").measure == pytest.approx(87.6, abs=0.05)
    assert outcome("learning-rate/e5", "0.035").code == DIVERGED


def test_seed_002_regression_matches_the_worked_example():
    objective = from_dataset("seed-002-regression")
    run = simulate(objective, [0, 0], "gd", {"lr": 0.001}, 200)
    assert run.final == pytest.approx([0.696224, 3.17455], abs=5e-6)  # (bias, slope)
    # The gradient is linear: its change along each unit vector is a column of the Hessian.
    H = np.array([np.subtract(objective.gradient(np.eye(2)[i]), objective.gradient(np.zeros(2))) for i in range(2)])
    assert sorted(np.linalg.eigvalsh(H)) == pytest.approx([0.554680, 63.1823], rel=1e-5)


def test_the_seed_calls_leave_the_global_generator_alone():
    np.random.seed(7)
    expected = np.random.rand()
    np.random.seed(7)
    from tutor.gd.objective import _dataset

    _dataset.cache_clear()
    from_dataset("seed-000-regression")
    assert np.random.rand() == expected


def test_seed_000_regression_matches_the_worked_example():
    run = simulate(from_dataset("seed-000-regression"), [0, 0], "gd", {"lr": 0.05}, 200)
    assert run.final == pytest.approx([1.98567, 1.00074], abs=5e-6)  # (w, b)
    assert run.losses[0] == pytest.approx(3.85959, abs=5e-6)


def test_momentum_e5_norms_against_beta():
    for beta, norm, passes in (("0.9", 0.0190340, True), ("0.5", 0.0585742, False), ("0.99", 1.12874, False),
                               ("0", 0.530494, False)):
        result = outcome("momentum/e5", f"beta={beta}")
        assert result.measure == pytest.approx(norm, rel=1e-5), beta
        assert result.passed is passes
    assert outcome("momentum/e5", "beta=0.99").code == OSCILLATES  # overshoots and swings back
    assert outcome("momentum/e5", "β = 0.5").code == TOO_SLOW


def test_momentum_two_steps_by_hand():
    run = simulate(from_expression("w0^2 + 3*w1^2", ("w0", "w1")), [4, 2], "momentum", {"lr": 0.01, "beta": 0.9}, 2)
    assert run.path[1:] == pytest.approx(np.array([[3.92, 1.88], [3.7696, 1.6592]]))


def test_adam_e4():
    assert outcome("adam/e4", "0.1").passed
    assert outcome("adam/e4", "0.1").run.final == pytest.approx([1.33669e-4, 5.69027e-5], rel=1e-4)
    assert not outcome("adam/e4", "0.04").passed
    assert outcome("adam/e4", "0.04").measure == pytest.approx(0.0622900, rel=1e-5)
    assert outcome("adam/e4", "0.05").measure == pytest.approx(0.00259741, rel=1e-4)
    for alpha in ("0.048", "0.5", "3"):
        assert outcome("adam/e4", alpha).passed, alpha
    first = simulate(from_expression("w0^2 + 3*w1^2", ("w0", "w1")), [4, 2], "adam",
                     {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, 200)
    assert first.path[1] == pytest.approx([3.999, 1.999]) and first.final == pytest.approx([3.80204, 1.80414], abs=5e-6)


def test_gradient_descent_1d_e4_accepted_set():
    # α ∈ (0.164947, 0.835053): 3·|1 − 2α|^20 < 1e-3.
    assert outcome("gradient-descent-1d/e4", "0.166").passed and outcome("gradient-descent-1d/e4", "0.834").passed
    assert not outcome("gradient-descent-1d/e4", "0.164").passed
    assert not outcome("gradient-descent-1d/e4", "0.836").passed
    assert outcome("gradient-descent-1d/e4", "1").code == OSCILLATES  # 0, 6, 0, 6, ...
    assert outcome("gradient-descent-1d/e4", "0.164").code == TOO_SLOW  # still closing in, not stalled


def test_escape_and_non_finite_values_stop_the_run():
    run = simulate(from_expression("x^2"), [1], "gd", {"lr": 10}, 100)
    assert run.diverged and np.all(np.abs(run.path) <= 1e6) and np.isfinite(run.losses).all()
    assert run.diverged_at == len(run.path)
    # log(x) is undefined for x ≤ 0: a step there ends the run, without a NaN in the path.
    run = simulate(from_expression("x - log(x)"), [0.5], "gd", {"lr": 5}, 10)
    assert run.diverged and np.isfinite(run.path).all()


# -- reading the learner's setting -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["0.01", "1/100", "1e-2", " 0.01 ", "alpha=0.01", "α = 0.01", "lr=0.01", "LR = 0.01",
                                  "lr: 0.01", "Α=10^-2", "η = 0.01"])
def test_one_chosen_value_reads_in_many_forms(text):
    assert read_setting(setup_of("learning-rate/e1"), text) == {"lr": pytest.approx(0.01)}


@pytest.mark.parametrize("text, message", [
    ("", "Type a value"),
    ("2", "between 0.0001 and 1"),
    ("-0.1", "between"),
    ("beta=0.9", "not something you choose"),
    ("lr=0.1, lr=0.2", "given twice"),
    ("__import__('os').system('true')", "not a number"),
    ("0.1; 0.2", "Say which value is which"),
    ("x", "not a number"),
    ("1/0", "not a number"),
    ("nan", "not a number"),
    ("1e400", "not a number"),
    ("(" * 500, "too long for one number"),
    ("0.1" * 3000, "too long for one number"),
])
def test_bad_settings_are_refused_with_a_reason(text, message):
    with pytest.raises(SettingError, match=message):
        read_setting(setup_of("learning-rate/e1"), text)


def test_fixed_settings_say_what_they_are_fixed_at():
    with pytest.raises(SettingError, match=r"α is fixed at 0.01 here.*You choose β"):
        read_setting(setup_of("momentum/e5"), "lr=0.1")


def test_check_gd_verdicts():
    verdict = check_gd(data("momentum/e5"), "beta=0.9")
    assert verdict.status == "correct" and verdict.interpreted == "β = 0.9" and "0.019034" in verdict.message
    wrong = check_gd(data("learning-rate/e1"), "0.1")
    assert wrong.status == "incorrect" and wrong.diagnosis == DIVERGED and wrong.extra["diverged_at"] == 3
    bad = check_gd(data("learning-rate/e1"), "0.1 +")
    assert bad.status == "invalid" and bad.diagnosis == "bad-setting"
    assert check_gd({"kind": "gd"}, "0.1").diagnosis == "broken-exercise"


# -- the block's own checks -------------------------------------------------------------------------


def test_fixture_blocks_are_sound_and_self_check():
    for exercise in COURSE.lessons["learning-rate"].exercises:
        assert block_problems(exercise.data) == [] and self_check(exercise.data) == []


def test_self_check_catches_a_wrong_reference_and_a_passing_failure():
    broken = {**data("learning-rate/e1"), "answer": "0.1", "fails": {"0.01": None, "0.001": "diverged"}}
    problems = self_check(broken)
    assert any("reference answer '0.1' does not meet the goal" in p for p in problems)
    assert any("'0.01' is listed as failing but meets the goal" in p for p in problems)
    assert any("'0.001' is said to fail as 'diverged' but the simulation says 'too-slow'" in p for p in problems)


@pytest.mark.parametrize("change, message", [
    ({"objective": "x^2 +"}, "does not parse"),
    ({"objective": "__import__('os')"}, "does not parse"),
    ({"data": "seed-999"}, "give either 'objective'"),
    ({"start": [1, 2]}, "'start' has 2 numbers"),
    ({"optimizer": "sgd"}, "unknown optimizer 'sgd'"),
    ({"steps": 0}, "'steps' must be a whole number"),
    ({"choose": {"beta": [0, 1]}}, "'choose' names 'beta', which gd does not have"),
    ({"choose": {"lr": [1, 0.1]}}, "low < high"),
    ({"goal": {"measure": "speed", "below": 1}}, "measure' must be one of"),
    ({"goal": {"measure": "distance", "below": 1}}, "'to' needs 1 number"),
    ({"answer": "beta=3"}, "reference answer 'beta=3' cannot be read"),
    ({"fails": {"0.1": "exploded"}}, "failures are diverged"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_block_problems_name_the_field(change, message):
    block = {**data("learning-rate/e1"), **change}
    problems = block_problems(block)
    assert any(message in p for p in problems), problems


def test_objective_errors_are_objective_errors():
    with pytest.raises(ObjectiveError):
        from_expression("1 + 2")  # nothing to move
    with pytest.raises(ObjectiveError, match="unknown data set"):
        from_dataset("mnist")
    assert math.isclose(from_expression("w0^2 + 3*w1^2", ("w0", "w1")).loss(np.array([4.0, 2.0])), 28.0)


def test_the_quadratic_fast_path_agrees_with_the_expression():
    f = from_expression("w0^2 + 10*w1^2 + w0*w1 - 2*w1 + 3", ("w0", "w1"))
    for point in ([4.0, 2.0], [-1.5, 0.25], [0.0, 0.0]):
        walked = f.gradients(*(np.array([x]) for x in point))  # arrays: the expression trees' walk
        assert f.gradient(point) == pytest.approx([float(g[0]) for g in walked], abs=1e-12)
    assert f.gradient([4.0, 2.0]) == pytest.approx([10.0, 42.0])


# -- the playground's model (what the card draws and its keys change) --------------------------------


def playground(exercise_id: str):
    from tutor.gd.figure import exercise_playground

    return exercise_playground(data(exercise_id))


def test_learning_rate_keys_walk_the_ladder_and_stop_at_the_range():
    model = playground("learning-rate/e1")
    assert model.setting() == {"lr": 0.001}
    ladder = []
    for _ in range(5):
        assert model.act("coarse") is True  # "+"
        ladder.append(model.settings["lr"])
    assert ladder == [0.002, 0.003, 0.005, 0.007, 0.01]
    assert model.act(model.controls[2]) and model.settings["lr"] == 0.011  # "→" nudges by 10 %
    assert model.act(model.controls[3]) and model.settings["lr"] == 0.01
    model.set_setting({"lr": 1.0})
    assert model.act(model.controls[0]) is False and model.settings["lr"] == 1.0  # the top of the range
    model.set_setting({"lr": 0.0001})
    assert model.act(model.controls[1]) is False and model.settings["lr"] == 0.0001


def test_a_linear_range_steps_by_tenths_and_hundredths():
    model = playground("momentum/e5")
    assert model.setting() == {"beta": 0.0}
    model.act(model.controls[0])
    assert model.settings["beta"] == 0.1
    model.act(model.controls[2])
    assert model.settings["beta"] == 0.11
    for _ in range(20):
        model.act(model.controls[0])
    assert model.settings["beta"] == 0.99  # clamped to the range's top


def test_the_figure_follows_the_setting():
    model = playground("learning-rate/e1")
    slow = model.figure(60)
    model.set_setting({"lr": 0.1})
    diverged = model.figure(60)
    assert "Too slow" in slow.readout[1] and "diverged at step 3" in diverged.readout[1]
    assert len(diverged.panels[0].find("iterates").xs) == 3 < len(slow.panels[0].find("iterates").xs)
    goal = diverged.panels[1].find("goal: < 0.001")
    assert goal.ys.tolist() == [0.001, 0.001]


def test_two_dimensional_figure_has_level_sets_and_a_view_around_the_minimum():
    from tutor.gd.figure import exercise_playground

    model = exercise_playground(data("learning-rate/e5"))
    (x0, x1), (y0, y1) = model.x_range, model.y_range
    bias, slope = from_dataset("seed-002-regression").minimum
    assert x0 < 0 < bias < x1 and y0 < 0 < slope < y1  # the start and the least-squares point
    assert bias == pytest.approx(2.43019, abs=1e-5) and slope == pytest.approx(2.90805, abs=1e-5)
    assert model.figure(60).panels[0].title == "the data and the line so far"  # a line fit opens on its data
    assert model.act("toggle_view")  # v: the same run in parameter space
    figure = model.figure(60)
    levels = figure.panels[0].find("level sets of the loss")
    objective = model.objective
    finite = np.isfinite(levels.xs)
    values = np.asarray(objective.values(levels.xs[finite], levels.ys[finite]))
    assert len(set(np.round(np.log(values), 1))) >= 4  # several distinct levels, each a curve of points


def test_the_free_playground_switches_optimizers_and_keeps_alpha():
    from tutor.gd.figure import playground_from_block

    model = playground_from_block({"interactive": "gd-playground", "objective": "w0^2 + 10*w1^2",
                                   "vars": "w0, w1", "start": [4, 1], "steps": 100, "settings": {"lr": 0.05}})
    assert [c.key for c in model.controls][-1] == "o"
    assert model.setup.goal is None and model.figure(60).panels[1].title == "loss per step"  # no goal line
    model.act("next_optimizer")
    assert model.setup.optimizer == "momentum" and model.settings == {"lr": 0.05, "beta": 0.9}
    model.act("next_parameter")  # "s": the keys now move β
    model.act(model.controls[1])
    assert model.settings == {"lr": 0.05, "beta": 0.8} and "(keys change β)" in model.figure(60).readout[0]
    model.act("next_optimizer")
    assert model.setup.optimizer == "adam" and model.settings["lr"] == 0.05 and model.settings["beta2"] == 0.999
    assert model.figure(60).title.startswith("Adam on w0^2 + 10*w1^2")
    model.act("next_optimizer")
    assert model.setup.optimizer == "gd"
    with pytest.raises(ValueError, match="'start' is missing"):
        playground_from_block({"interactive": "gd-playground", "objective": "x^2", "steps": 5})


def test_thin_keeps_the_shape_gaps_and_ends():
    from tutor.gd.figure import thin

    xs = np.array([0.0, 0.001, 0.002, 0.5, np.nan, 1.0, 1.0005])
    ys = np.zeros_like(xs)
    tx, ty = thin(xs, ys, (0.0, 1.0), (0.0, 1.0), width=50)  # a dot is 0.01 wide
    assert np.isnan(tx).sum() == 1 and tx[0] == 0.0 and tx[-1] == 1.0005 and 0.5 in tx
    assert 0.001 not in tx


def test_as_answer_reads_back():
    from tutor.gd.judge import as_answer

    setup = setup_of("momentum/e5")
    assert read_setting(setup, as_answer({"beta": 0.9})) == {"beta": 0.9}
    assert as_answer({"beta1": 0.9, "lr": 0.1}) == "beta1=0.9, lr=0.1"


def test_with_no_goal_a_run_is_described_not_judged():
    from tutor.gd.figure import playground_from_block
    from tutor.gd.judge import CONVERGED

    model = playground_from_block({"interactive": "gd-playground", "objective": "w0^2 + 10*w1^2", "vars": "w0, w1",
                                   "start": [4, 1], "steps": 100, "settings": {"lr": 0.05}})
    assert model.outcome().code == CONVERGED and not model.outcome().passed
    for lr, code in ((0.002, TOO_SLOW), (0.099, OSCILLATES), (0.2, DIVERGED)):
        model.set_setting({"lr": lr})
        assert model.outcome().code == code, lr


ODD_VALUES = [None, "x", -1, 0, [], [1, 2], {}, {"a": 1}, True, 1e308, float("nan"), "[1, 2]", [None, None],
              {"lr": None}, {"lr": [1, None]}, {"measure": "distance", "to": "a", "below": 1}]


@pytest.mark.parametrize("key", ["objective", "start", "steps", "choose", "goal", "answer", "vars", "optimizer",
                                 "settings", "view", "fails", "data"])
def test_odd_field_values_are_problems_never_crashes(key):
    base = {"objective": "x^2", "start": 1, "steps": 10, "choose": {"lr": [0.01, 1]},
            "goal": {"measure": "norm", "below": 0.1}, "answer": "0.5"}
    for value in ODD_VALUES:
        block = {**base, key: value}
        if not block_problems(block):  # sound after all: then it self-checks and checks without raising
            self_check(block)
            check_gd(block, "0.5")
    assert any("undefined at the start" in p for p in block_problems({**base, "objective": "log(x)", "start": -1}))


def test_a_run_that_grows_without_leaving_the_box_is_diverging_not_oscillating():
    # (x − 3)² with α = 1.2: the distance to 3 grows by 1.4 each step, 2510 after 20 steps,
    # far from any escape bound but plainly blowing up.
    setup = read_setup({"objective": "(x - 3)^2 + 1", "start": 0, "steps": 20, "choose": {"lr": [0.0001, 3]},
                        "settings": {"lr": 0.1}, "goal": {"measure": "distance", "to": 3, "below": 1e-3}})[0]
    outcome = judge(setup, {"lr": 1.2})
    assert outcome.code == "diverged" and "diverging" in outcome.message and "6.3" in outcome.message
    assert judge(setup, {"lr": 1.0}).code == "oscillating"  # bounces between 0 and 6: the loss never grows


def test_a_line_fit_playground_draws_the_line_moving_on_its_data():
    from tutor.gd.figure import playground_from_block

    model = playground_from_block({"interactive": "gd-playground", "data": "seed-002-regression",
                                   "start": [0, 0], "settings": {"lr": 0.001}, "steps": 200})
    top = model.figure(80).panels[0]
    assert top.title == "the data and the line so far"
    assert len(top.find("data")) == 100
    line = next(s for s in top.series if s.label.startswith("after 200 steps"))
    assert "y = 0.696224 + 3.17455x" in line.label
    best = next(s for s in top.series if s.label.startswith("least squares"))
    assert "y = 2.43019 + 2.90805x" in best.label
    assert model.act("coarse")  # + raises the learning rate, and the line moves
    moved = next(s for s in model.figure(80).panels[0].series if s.label.startswith("after"))
    assert moved.label != line.label
