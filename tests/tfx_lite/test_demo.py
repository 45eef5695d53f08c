"""`make demo` runs tfx_lite.demo: it must keep working as the project changes."""
from tfx_lite import demo


def test_demo_runs_and_shows_the_ir(capsys):
    demo.main()
    out = capsys.readouterr().out
    assert "func @f(%x: f32[4,8], %b: f32[2], %w: f32[8,2]) -> (f32[4,2], f32[8,2])" in out
    assert "InvalidArgumentError: cannot compute AddV2" in out
    assert "tf.function" in out and "per call" in out
