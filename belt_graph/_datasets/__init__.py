"""The national datasets, installed with the package (mapped from the repository's ``data/``).

Found by name with :func:`belt_graph.dataset.dataset_path` (``--data cn-rail-2020``).
"""
