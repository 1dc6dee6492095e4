"""Figures: Chinese renders with the bundled font, without warnings, byte for byte the same."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from channelcost import paths  # noqa: E402
from channelcost.plotting import barh, cjk_font_path, figure_png_bytes, save_figure, setup_matplotlib  # noqa: E402

DATA = pd.DataFrame({"word": ["在线客服", "智能机器人", "通话费用", "400电话"], "count": [6, 8, 3, 1]})


def test_chinese_figure_renders_without_glyph_warnings():
    setup_matplotlib()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = barh(DATA, "word", "count", "给天猫打电话免费吗？Is it free?", "次数 − count")
        png = figure_png_bytes(fig)
        plt.close(fig)
    assert png.startswith(b"\x89PNG")


def test_the_cjk_font_is_the_bundled_open_licence_font():
    setup_matplotlib()
    found = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.sans-serif"][0]))
    assert found == str(cjk_font_path())
    assert "site-packages" in found or "dist-packages" in found  # installed with the project
    entry = next(f for f in font_manager.fontManager.ttflist if f.fname == found and f.name == "Noto Sans CJK SC")
    assert entry.weight == 400  # Regular, not the variable font's hairline default


def test_saved_figures_are_reproducible_and_carry_their_data(tmp_path):
    setup_matplotlib()
    fig = barh(DATA, "word", "count", "测试", "count")
    p1 = save_figure(fig, "demo", DATA, tmp_path)
    first = p1.read_bytes()
    save_figure(fig, "demo", DATA, tmp_path)
    plt.close(fig)
    assert p1.read_bytes() == first
    assert b"Software" not in first and b"matplotlib" not in first
    assert pd.read_csv(tmp_path / "demo.csv").equals(DATA)


def test_every_committed_figure_has_its_data_beside_it():
    pngs = sorted(paths.FIGURES.glob("*.png"))
    assert pngs
    for png in pngs:
        assert png.with_suffix(".csv").is_file(), png.name
