"""The words of a journey's summary that are read off its legs (``commute``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas import DataFrame


def changes_text(legs: DataFrame, names: dict[str, str]) -> str:
    """Say what each change of a commute is, from its legs: where, how, and its minutes.

    A change of train at one station (``change``), or a change of station between two rides:
    on foot, by metro or by road (``transfer``, by its mode). Empty when there is none.
    """
    rides = {"track", "service", ""}
    kinds = legs["kind"].tolist()
    said = []
    for i, row in enumerate(legs.itertuples(index=False)):
        before = any(k in rides for k in kinds[:i])
        after = any(k in rides for k in kinds[i + 1 :])
        if not (before and after):
            continue  # a walk to the first ride or from the last is no change
        a, b = names.get(row[0], row[0]), names.get(row.to, row.to)
        if row.kind == "change":
            said.append(f"at {a}, {row.minutes:g} min")
        elif row.kind == "transfer":
            how = {"walk": "on foot", "metro": "by metro", "road": "by road"}.get(
                str(row.mode), f"by {row.mode}"
            )
            said.append(f"{how} from {a} to {b}, {row.minutes:g} min")
    return f" ({'; '.join(said)})" if said else ""


def trains_text(legs: DataFrame) -> str:
    """Name the trains a commute rides, in order (``; trains C3786, D3143``), or nothing.

    A track leg's train is the one whose running minutes time the link; a ride no one train
    times says what it is (``along-river through train (estimated)``, ``a train on the
    Shanghai-Nanjing along-river HSR``), so that every ride of the journey is named.
    """
    trains = [
        str(r.train)
        if r.train
        else str(r.line)  # a service no one train times says what it is
        if r.kind == "service"
        else f"a train on the {r.line}"  # track timed by an estimate, not by one train
        for r in legs.itertuples(index=False)
        if r.train or (r.kind in ("service", "track") and r.line)
    ]
    if not trains:
        return ""
    return f"; {'train' if len(trains) == 1 else 'trains'} {', '.join(trains)}"
