"""What a user would write instead of ``belt-graph matrix``: pandas and scipy, from the files.

    python benchmarks/matrix_script.py DATASET_FOLDER OUT.npz

The fastest minutes between the places of a dataset of stations under places (a place is an
end of a route, never a step of one: its access links are only left from it, or taken last
into it), over the open links, the fastest of parallel links counted. Written as a careful
user would, with no check of the files. ``bench_cli_matrix.py`` runs it against the command
and checks the two matrices equal.
"""

import sys

import numpy as np
import pandas as pd
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

folder, out = sys.argv[1], sys.argv[2]
nodes = pd.read_csv(f"{folder}/nodes.csv", usecols=["id", "place"], dtype=str).fillna("")
links = pd.read_csv(f"{folder}/links.csv", usecols=["source", "target", "minutes", "status"])
links = links[links["status"] == "open"]
ids = pd.Index(nodes["id"])
places = nodes["id"][nodes["id"].isin(set(nodes["place"]))].to_numpy()
is_place = np.zeros(len(ids), dtype=bool)
is_place[ids.get_indexer(places)] = True
i, j = ids.get_indexer(links["source"]), ids.get_indexer(links["target"])
w = links["minutes"].to_numpy(float)
edges = pd.DataFrame({"a": np.r_[i, j], "b": np.r_[j, i], "w": np.r_[w, w]})
edges = edges.sort_values("w").drop_duplicates(["a", "b"])  # the fastest parallel link
inside = edges[~is_place[edges["b"].to_numpy()]]  # never into a place on the way
n = len(ids)
A = csr_array((inside["w"], (inside["a"], inside["b"])), shape=(n, n))
rows = ids.get_indexer(places)
D = dijkstra(A, directed=True, indices=rows)
into = edges[is_place[edges["b"].to_numpy()]]  # the last step: a station into its place
M = np.full((len(rows), n), np.inf)
np.minimum.at(M.T, into["b"].to_numpy(), (D[:, into["a"].to_numpy()] + into["w"].to_numpy()).T)
M = M[:, rows]
np.fill_diagonal(M, 0.0)
np.savez(out, minutes=np.where(np.isinf(M), np.nan, M), nodes=places.astype(str))
