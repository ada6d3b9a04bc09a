"""Fastest minutes again after links get slower or go, searching only what can change (private).

When some entries of a graph only get slower (or go), the minutes from a source change only at
the nodes whose fastest path, in the source's tree of fastest paths, runs over one of them: the
subtree under each such entry. :func:`repair_rows` searches that subtree again and nothing
else (the classic repair of a shortest-path tree after edge weights increase, as in Ramalingam
& Reps, "On the computational complexity of dynamic graph problems", 1996): every node of the
subtree starts from its best link in from a node outside it, whose minutes stand, and a
Dijkstra search within the subtree settles the rest. The search stops once every target in the
subtree is settled. Compiled with numba where it is installed (the callers check
:data:`~belt_graph._compiled.COMPILED`); plain Python otherwise, for the tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._compiled import jit

__all__ = ["repair_rows", "reverse_index"]


def reverse_index(A: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the links into each node of the CSR matrix ``A``: ``(indptr, source, position)``.

    The links into node ``j`` are ``source[indptr[j]:indptr[j + 1]]``, each with its position in
    ``A.data`` (so that a changed copy of ``A.data`` is read through it).
    """
    n = A.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    cols = np.asarray(A.indices, dtype=np.int64)
    order = np.argsort(cols, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, cols + 1, 1)
    return np.cumsum(indptr), rows[order], order.astype(np.int64)


@jit
def _heap_push(heap: np.ndarray, key: np.ndarray, pos: np.ndarray, size: int, v: int) -> int:
    i = size
    heap[i] = v
    pos[v] = i
    while i > 0:
        p = (i - 1) // 2
        if key[heap[p]] <= key[heap[i]]:
            break
        heap[p], heap[i] = heap[i], heap[p]
        pos[heap[p]] = p
        pos[heap[i]] = i
        i = p
    return size + 1


@jit
def _heap_up(heap: np.ndarray, key: np.ndarray, pos: np.ndarray, i: int) -> None:
    while i > 0:
        p = (i - 1) // 2
        if key[heap[p]] <= key[heap[i]]:
            break
        heap[p], heap[i] = heap[i], heap[p]
        pos[heap[p]] = p
        pos[heap[i]] = i
        i = p


@jit
def _heap_pop(heap: np.ndarray, key: np.ndarray, pos: np.ndarray, size: int) -> int:
    top = heap[0]
    size -= 1
    pos[top] = -1
    if size > 0:
        heap[0] = heap[size]
        pos[heap[0]] = 0
        i = 0
        while True:
            c = 2 * i + 1
            if c >= size:
                break
            if c + 1 < size and key[heap[c + 1]] < key[heap[c]]:
                c += 1
            if key[heap[i]] <= key[heap[c]]:
                break
            heap[i], heap[c] = heap[c], heap[i]
            pos[heap[i]] = i
            pos[heap[c]] = c
            i = c
    return int(top)


@jit
def repair_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    r_indptr: np.ndarray,
    r_source: np.ndarray,
    r_position: np.ndarray,
    base: np.ndarray,
    pred: np.ndarray,
    roots: np.ndarray,
    roots_of: np.ndarray,
    is_target: np.ndarray,
    out: np.ndarray,
) -> None:
    """Fill ``out[i]`` with the minutes from source ``i`` after the change, at every node.

    ``indptr``, ``indices``, ``data``: the graph after the change (an entry gone is ``inf`` in
    ``data``); ``r_*``: its :func:`reverse_index`. ``base[i]``, ``pred[i]``: the minutes and the
    tree of fastest paths from source ``i`` before (``pred`` -9999 at the source and where not
    reached). ``roots[roots_of[i]:roots_of[i + 1]]``: the nodes of source ``i``'s tree whose
    link in from their parent got slower or went, or that went (their subtrees are searched
    again). ``is_target``: the nodes whose minutes are wanted (the search stops when every one
    in the subtree is settled); ``out`` has the other nodes' minutes as before, exactly, and a
    target's exactly; a node of the subtree that is not a target may be left larger.
    """
    n = indptr.shape[0] - 1
    inside = np.zeros(n, dtype=np.bool_)
    key = np.full(n, np.inf)
    pos = np.full(n, -1, dtype=np.int64)
    heap = np.empty(n, dtype=np.int64)
    child_ptr = np.zeros(n + 1, dtype=np.int64)
    child = np.empty(n, dtype=np.int64)
    fill = np.zeros(n, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    members = np.empty(n, dtype=np.int64)
    for i in range(base.shape[0]):
        row = out[i]
        b = base[i]
        p = pred[i]
        for v in range(n):
            row[v] = b[v]
        lo, hi = roots_of[i], roots_of[i + 1]
        if lo == hi:
            continue
        # the tree's children, by counting
        for v in range(n + 1):
            child_ptr[v] = 0
        for v in range(n):
            if p[v] >= 0:
                child_ptr[p[v] + 1] += 1
        for v in range(n):
            child_ptr[v + 1] += child_ptr[v]
        for v in range(n):
            fill[v] = child_ptr[v]
        for v in range(n):
            if p[v] >= 0:
                child[fill[p[v]]] = v
                fill[p[v]] += 1
        # the subtrees under the roots
        m = 0
        top = 0
        for k in range(lo, hi):
            r = roots[k]
            if not inside[r]:
                inside[r] = True
                stack[top] = r
                top += 1
        while top > 0:
            top -= 1
            v = stack[top]
            members[m] = v
            m += 1
            for c in range(child_ptr[v], child_ptr[v + 1]):
                w = child[c]
                if not inside[w]:
                    inside[w] = True
                    stack[top] = w
                    top += 1
        # each member starts from its best link in from outside the subtree
        size = 0
        left = 0
        for k in range(m):
            v = members[k]
            best = np.inf
            for e in range(r_indptr[v], r_indptr[v + 1]):
                u = r_source[e]
                if not inside[u]:
                    d = b[u] + data[r_position[e]]
                    if d < best:
                        best = d
            key[v] = best
            if is_target[v]:
                left += 1
            if best < np.inf:
                size = _heap_push(heap, key, pos, size, v)
        # Dijkstra within the subtree
        while size > 0 and left > 0:
            v = _heap_pop(heap, key, pos, size)
            size -= 1
            dv = key[v]
            row[v] = dv
            inside[v] = False  # settled: now outside for the links that follow
            if is_target[v]:
                left -= 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if inside[w]:
                    d = dv + data[e]
                    if d < key[w]:
                        key[w] = d
                        if pos[w] >= 0:
                            _heap_up(heap, key, pos, pos[w])
                        else:
                            size = _heap_push(heap, key, pos, size, w)
        # what was not settled is unreachable (its key is inf), or, where the search stopped
        # early, no target (its key an upper bound); reset the scratch
        for k in range(m):
            v = members[k]
            if inside[v]:
                row[v] = key[v]
                inside[v] = False
            key[v] = np.inf
            pos[v] = -1
