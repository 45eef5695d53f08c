"""`make demo` runs tfx_lite.demo: it must keep working as the project changes (the bench part
is tested in test_cli_bench.py)."""
import re

from tfx_lite import demo


def test_demo_trains_the_seeds_models_shows_the_ir_and_serves_a_saved_model(capsys):
    assert demo.main(["--no-bench"]) == 0
    out = capsys.readouterr().out
    # the seed's linear model, three ways, to the seed's numbers (example 20/21: W=3.09 b=1.79)
    assert out.count("loss 9.387 -> 0.09104, W=3.09 b=1.79") == 3
    accuracy = float(re.findall(r"accuracy: ([0-9.]+)", out)[-1])
    assert accuracy > 0.5  # the CNN learned its classes (chance is 0.1)
    assert "func @step(%Variable: f32[], %Variable_: f32[]) -> (f32[], f32[], f32[]) {" in out
    assert "vjp(%Variable, %Variable_, %7)" in out
    assert "serving_default gives the same logits: True" in out
