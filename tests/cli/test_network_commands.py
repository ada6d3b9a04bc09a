"""centrality, sectors, clusters, partners, scenario on the command line."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

import belt_graph as bg
from belt_graph.cli import cli
from tests.helpers import NATIONAL_DIR, ROOT, run


def test_sector_commands_say_when_a_dataset_has_no_sectors() -> None:
    # the national datasets list no sectors; asked for that layer, they say so
    for args in (["sectors"], ["clusters"], ["partners", "Shanghai", "--hours", "1"]):
        code, out, err = run(*args, "--layer", "listed", "--data", NATIONAL_DIR)
        assert code == 1 and out == "" and "has no sectors" in err, args


def test_sector_commands_answer_from_the_measured_layer_and_say_so() -> None:
    """Issue 24: where a dataset has measured employment, sectors, partners and clusters use
    it by default, and say which layer answered."""
    from belt_graph.sectors.measured import measured_pairs

    code, out, err = run("sectors", "--format", "csv", "--data", NATIONAL_DIR)
    assert code == 0 and "layer: measured" in err
    got = pd.read_csv(io.StringIO(out))
    expected = measured_pairs(bg.load_dataset(NATIONAL_DIR))
    assert len(got) == len(expected) and got["complementarity"].notna().sum() > 0
    # Suzhou is specialised in 2 sections only: no value rests on enough by default (issue 40)
    code, out, err = run("partners", "Suzhou", "--hours", "1.5", "--format", "csv")
    assert code == 0 and "layer: measured" in err and "fewer than 3" in err
    assert "Putuo: Shanghai's profile" in err  # every measured answer says whose profile
    code, out, err = run(
        "partners", "Suzhou", "--hours", "1.5", "--min-support", "1", "--format", "csv"
    )
    partners = pd.read_csv(io.StringIO(out), index_col="node")
    assert "Wuxi" in partners.index and (partners["minutes"] <= 90 + 1e-9).all()
    code, out, err = run("clusters", "--seed", "3", "--format", "csv")
    assert code == 0 and set(pd.read_csv(io.StringIO(out))["kind"]) == {"sector", "place"}
    code, _, err = run("sectors", "--layer", "measured", "--data", str(ROOT / "belt_graph" / "toy"))
    assert code == 2 and "no measured layer" in err


def test_cli_centrality_columns_name_their_network() -> None:
    r = CliRunner().invoke(cli, ["centrality", "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    header = r.stdout.splitlines()[0].split(",")
    assert "betweenness_track" in header and "closeness_service" in header
    r = CliRunner().invoke(cli, ["centrality", "--structure", "service", "--format", "csv"])
    assert "betweenness_service" in r.stdout.splitlines()[0].split(",")
