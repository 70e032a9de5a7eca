"""Edict on Dask: evaluate a dask DataFrame partition by partition on a cluster's workers.

    from dask.distributed import Client
    import dask.dataframe as dd, edict, edict.dask

    client = Client("tcp://scheduler:8786")          # or Client(LocalCluster(...)) on one machine
    policy = edict.compile("policies/ear")
    ddf = dd.read_parquet("cases/*.parquet")
    out = edict.dask.evaluate_frame(ddf, policy, as_of="2024-06-01", columns={"product.tpp": "tpp", ...})
    out.to_parquet("decisions/")                     # or out.compute()

The policy travels as its source text (Policy.to_bundle(): the files, their imports and the digest), once per
worker, and each worker process compiles it once (edict.from_bundle caches it by digest, and checks that the
digest is the one compiled here). The workers need the `edict` package importable, as any function a task
calls does. Each partition is evaluated by Policy.evaluate_frame, so the results are the same as on one
machine: columns decision, classifications, deciding_rules and error, with the partition's index.
"""

from __future__ import annotations

import edict

__all__ = ["evaluate_frame", "meta"]


def meta(ddf=None):
    """An empty pandas DataFrame with the output columns (object dtype), for map_partitions."""
    import pandas

    index = ddf._meta.index[:0] if ddf is not None else None
    return pandas.DataFrame({c: pandas.Series([], dtype=object) for c in edict.FRAME_COLUMNS}, index=index)


def evaluate_frame(ddf, policy, *, as_of, columns=None, rules_as_of=None, threads=1, allow_float=False,
                   meta=None):
    """Evaluates every row of the dask DataFrame `ddf` on the cluster; returns a lazy dask DataFrame.

    policy: an edict.Policy, a bundle from Policy.to_bundle(), or what edict.compile() takes (a path, or
    {name: text}); it is compiled here once (errors are raised here, not on the workers), then shipped as
    text. as_of, columns, rules_as_of, threads and allow_float are as for Policy.evaluate_frame (as_of: a column
    name or one date). threads: per partition; with one thread per Dask worker, leave it at 1.
    """
    import dask

    bundle = _bundle_of(policy)
    # A delayed bundle is one key of the graph: sent to each worker once, not embedded in every task.
    shipped = dask.delayed(bundle, pure=True, traverse=False)
    return ddf.map_partitions(_evaluate_partition, shipped, as_of, columns, rules_as_of, threads, allow_float,
                              meta=meta if meta is not None else globals()["meta"](ddf), align_dataframes=False)


def _bundle_of(policy):
    if isinstance(policy, edict.Policy):
        return policy.to_bundle()
    if isinstance(policy, dict) and {"files", "imports", "digest", "root"} <= policy.keys():
        return policy
    return edict.compile(policy).to_bundle()


def _evaluate_partition(part, bundle, as_of, columns, rules_as_of, threads, allow_float):
    policy = edict.from_bundle(bundle)  # compiled once per worker process
    return policy.evaluate_frame(part, as_of=as_of, columns=columns, rules_as_of=rules_as_of, threads=threads,
                                 allow_float=allow_float)
