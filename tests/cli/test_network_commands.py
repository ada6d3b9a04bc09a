"""centrality, sectors, clusters, partners, scenario on the command line."""

from __future__ import annotations

from click.testing import CliRunner

from belt_graph.cli import cli
from tests.helpers import NATIONAL_DIR, run


def test_sector_commands_say_when_a_dataset_has_no_sectors() -> None:
    for args in (["sectors"], ["clusters"], ["partners", "AOH", "--hours", "1"]):
        code, out, err = run(*args, "--data", NATIONAL_DIR)
        assert code == 1 and out == "" and "has no sectors" in err, args


def test_cli_centrality_columns_name_their_network() -> None:
    r = CliRunner().invoke(cli, ["centrality", "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    header = r.stdout.splitlines()[0].split(",")
    assert "betweenness_track" in header and "closeness_service" in header
    r = CliRunner().invoke(cli, ["centrality", "--structure", "service", "--format", "csv"])
    assert "betweenness_service" in r.stdout.splitlines()[0].split(",")
