"""Exact brute-force k-nearest-neighbour search over one view's training vectors.

One BLAS product per block of queries, with the k nearest picked from the
few groups of training vectors that hold them: for a few tens of thousands
of 66-dimensional vectors that is faster than a tree and gives exact
answers.
"""

from __future__ import annotations

import numpy as np

from .normalise import N_FEATURES

BLOCK_ROWS = 128
"""Queries per distance product: its (n_train x rows) matrix, 20 MB, stays in the L3 cache."""
GROUP_SIZE = 64
"""Training vectors per group whose nearest is found first (see :class:`ExactSearch`)."""


class ExactSearch:
    """Exact k-nearest search over one view's training vectors.

    One BLAS product per block of queries, with the k nearest picked from
    the few groups of training vectors that hold them.
    """

    def __init__(self, weighted: np.ndarray, index: np.ndarray, k: int, view: int) -> None:
        self.view = view
        self.index = index.astype(np.int64)
        self.k = min(k, len(index))
        train = weighted[index]
        # Training vector j falls in group j % n_groups, at row j // n_groups
        # of a (group_size, n_groups) view; the padding (a zero vector of the
        # largest finite norm: inf would make BLAS raise invalid-value flags
        # in its unused lanes) is never near.
        n = len(train)
        self.group_size = max(1, min(GROUP_SIZE, n // self.k))
        self.n_groups = -(-n // self.group_size)
        width = self.group_size * self.n_groups
        # [-2 t, |t|^2]: with a query [q, 1] one product gives |t|^2 - 2 q.t
        # (scaling by -2 is exact, and BLAS adds the last term last).
        self.augmented = np.zeros((width, N_FEATURES + 1), dtype=np.float32)
        np.multiply(train, -2.0, out=self.augmented[:n, :N_FEATURES])
        self.augmented[:, N_FEATURES] = np.finfo(np.float32).max
        self.augmented[:n, N_FEATURES] = np.einsum("ij,ij->i", train, train)

    def kneighbors(self, X: np.ndarray, chunk_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Distances and (global) indices of the k nearest of weighted queries ``X``."""
        k = self.k
        distances = np.empty((len(X), k), dtype=np.float32)
        indices = np.empty((len(X), k), dtype=np.int64)
        for start in range(0, len(X), chunk_size):
            block = X[start : start + chunk_size]
            # Rows in a few even parts: a product of one row would be a
            # matrix-vector product, which BLAS sums in another order.
            parts = -(-len(block) // BLOCK_ROWS)
            bounds = np.linspace(0, len(block), parts + 1).round().astype(int)
            for low, high in zip(bounds[:-1], bounds[1:], strict=True):
                rows = slice(start + low, start + high)
                distances[rows], indices[rows] = self._nearest(block[low:high])
            # |q - t|^2 = |q|^2 + |t|^2 - 2 q.t; |q|^2 does not change the
            # ranking of a row, so it is added to the k winners only.
            part_d = distances[start : start + len(block)]
            part_d += np.einsum("ij,ij->i", block, block)[:, None]
            np.sqrt(np.maximum(part_d, 0.0), out=part_d)
        return distances, self.index[indices]

    def _nearest(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The k smallest ``|t|^2 - 2 q.t`` of each row of ``block``, and their indices.

        Ties go to the lower training index. Rather than k passes over the
        (n_train x rows) matrix, one pass takes the minimum of each group of
        training vectors: the k nearest lie in the groups whose minimum is at
        most the k-th smallest group minimum, among the few values that are too.
        """
        k, n_groups = self.k, self.n_groups
        if len(block) == 1:
            # A matrix-vector product, summed in another order than the
            # augmented one: keep the sums a one-row chunk always had,
            # -2 q.t (exactly -2 times q.t), then |t|^2 added apart.
            partial = block[0] @ self.augmented[:, :N_FEATURES].T
            partial += self.augmented[:, N_FEATURES]
            partial = partial[:, None]
        else:
            # Training vectors down the rows: OpenBLAS is fastest this way round.
            ones = np.ones((len(block), 1), dtype=np.float32)
            partial = self.augmented @ np.hstack([block, ones]).T
        grouped = partial.reshape(self.group_size, n_groups, len(block))
        group_min = grouped.min(axis=0)
        bound = np.partition(group_min, k - 1, axis=0)[k - 1]
        group, row = np.nonzero(group_min <= bound)
        values = grouped[:, group, row].T
        near, place = np.nonzero(values <= bound[row, None])
        row, group, values = row[near], group[near], values[near, place]
        column = place * n_groups + group
        # By row, then distance, then training index; each row has k or more.
        order = np.lexsort((column, values, row))
        first = np.searchsorted(row[order], np.arange(len(block)))
        pick = order[first[:, None] + np.arange(k)]
        return values[pick], column[pick]
