"""Output plumbing: --output refused before any work, never overwritten without --force."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from belt_graph.cli import cli
from tests.helpers import run


def test_unwritable_output(tmp_path: Path) -> None:
    code, _, err = run("matrix", "--output", str(tmp_path / "no" / "m.csv"))
    assert code == 2 and "does not exist" in err


def test_output_not_overwritten_without_force(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("keep")
    code, _, _err = run("matrix", "--output", str(f))
    assert code == 2 and f.read_text() == "keep"
    code, _, _ = run("matrix", "--output", str(f), "--force", "--format", "csv")
    assert code == 0 and f.read_text().startswith("origin,")


def test_the_command_line_shows_its_own_flags_in_a_library_message() -> None:
    import click

    from belt_graph.cli.output import as_flags

    command = click.Command(
        "x",
        params=[
            click.Option(["--force"], is_flag=True),
            click.Option(["--route-types"]),
            click.Option(["-d", "--date"]),
        ],
    )
    with click.Context(command):
        said = as_flags(
            "use `force=True`; no route matches `route_types` and `agency`; not `date='2024-01-13'`"
        )
    assert said == (
        "use --force; no route matches --route-types and `agency`; not --date 2024-01-13"
    )
    # outside a command, the message is the library's
    assert as_flags("use `force=True`") == "use `force=True`"


def test_an_existing_output_names_the_force_flag(tmp_path: Path) -> None:
    target = tmp_path / "m.csv"
    target.write_text("old")
    code, _, err = run("matrix", "--format", "csv", "--output", str(target))
    assert code == 2 and "use --force to overwrite it" in err and "force=True" not in err
    assert target.read_text() == "old"


def test_the_output_format_follows_the_extension(tmp_path: Path) -> None:
    """Issue 25, 9: '-o FILE.csv' wrote the space-aligned text table, '-o a.xlsx' text too."""
    import json

    code, _, _ = run("reach", "Putuo", "--hours", "1", "-o", str(tmp_path / "r.csv"))
    text = (tmp_path / "r.csv").read_text()
    assert code == 0 and text.startswith("node,name,minutes,")
    assert text.splitlines()[1].startswith("Putuo,Putuo,0,")
    code, _, _ = run("reach", "Putuo", "--hours", "1", "-o", str(tmp_path / "r.json"))
    rows = json.loads((tmp_path / "r.json").read_text())
    assert code == 0 and rows[0]["node"] == "Putuo" and rows[0]["minutes"] == 0
    code, _, err = run("reach", "Putuo", "--hours", "1", "-o", str(tmp_path / "r.xlsx"))
    assert code == 2 and "cannot write .xlsx files" in err and not (tmp_path / "r.xlsx").exists()
    code, _, err = run("matrix", "--format", "json", "-o", str(tmp_path / "m.csv"))
    assert code == 2 and "does not match" in err and not (tmp_path / "m.csv").exists()
    code, _, err = run("reach", "Putuo", "--hours", "1", "-o", str(tmp_path / "r.npz"))
    assert code == 2 and "cannot write .npz files" in err  # only matrix writes .npz
    code, _, _ = run("matrix", "-o", str(tmp_path / "m.npz"))
    assert code == 0 and (tmp_path / "m.npz").read_bytes()[:2] == b"PK"
    code, _, _ = run("matrix", "--format", "csv", "-o", str(tmp_path / "plain"))
    assert code == 0 and (tmp_path / "plain").read_text().startswith("origin,Putuo,Nanjing,")


def test_table_format_rounds_for_people_and_csv_keeps_every_digit() -> None:
    """Issue 41, 2: whole minutes, at most 2 decimals, tiny measures scaled with their factor."""
    import pandas as pd

    from belt_graph.cli.output import render

    df = pd.DataFrame(
        {
            "mean_minutes_service": [97.1429, 95.4286],
            "hours": [0.616667, 1.0],
            "closeness_service": [0.0102941, 0.010479],
            "betweenness_track": [0.47619, 0.0],
        },
        index=pd.Index(["a", "b"], name="node"),
    )
    text = render(df, "table")
    assert "closeness_service (x 1e-2)" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[2:]}
    assert rows["a"] == ["97", "0.62", "1.03", "0.48"]
    assert rows["b"] == ["95", "1", "1.05", "0"]
    assert "0.0102941" in render(df, "csv") and "0.616667" in render(df, "csv")


@pytest.mark.parametrize(
    "args",
    [
        ["centrality"],
        ["reach", "Putuo", "--hours", "2"],
        ["matrix"],
        ["commute", "Wuxi", "Taizhou"],
        ["criticality", "--top", "5"],
        ["specialisation"],
    ],
)
def test_no_table_shows_more_than_two_decimals(args: list[str]) -> None:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    assert not re.search(r"\d\.\d{3,}", r.stdout), r.stdout
