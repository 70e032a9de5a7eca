"""Throughput of the Python package on the EAR pack (prints numbers; not a test).

    PYTHONPATH=build-py/python python3 python/bench/bench_frame.py [--rows 1000000] [--dask]

- evaluate_frame, rows/s with 1 and 2 threads (best of --repeat), and the process's peak RSS before and after,
  to show that the extra memory does not grow with the rows beyond the frame and the four output columns;
- Policy.evaluate per call against the C++ calls alone (Policy::evaluate, Session::evaluate, Session::decide
  timed in the extension on pre-built facts): the difference is the Python overhead;
- with --dask: edict.dask.evaluate_frame on a LocalCluster of 1 and 2 worker processes (one thread each).
"""

import argparse
import datetime
import json
import pathlib
import resource
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

import edict  # noqa: E402
from frames import ear_frame  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2024, 6, 1)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(repeat, run):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_frame(policy, df, repeat):
    rows = len(df)
    print(f"frame: {rows:,} rows, {len(df.columns)} fact columns (object dtype: str and bool)")
    before = peak_rss_mb()
    for threads in (1, 2):
        cpu = time.process_time()
        seconds = best_of(repeat, lambda: policy.evaluate_frame(df, as_of=AS_OF, threads=threads))
        cpu = (time.process_time() - cpu) / repeat  # all threads; less sensitive than wall time to a busy machine
        print(f"  evaluate_frame threads={threads}: {seconds:.3f} s, {rows / seconds:,.0f} rows/s "
              f"(wall, best of {repeat}); {cpu / rows * 1e6:.2f} us CPU per row")
    after = peak_rss_mb()
    outputs = rows * 4 * 8 / 2**20  # four object columns of pointers (their values are shared objects)
    print(f"  peak RSS {before:.0f} MB with the frame -> {after:.0f} MB after evaluating "
          f"(the four output columns alone are {outputs:.0f} MB)")


def bench_per_call(policy, calls):
    facts = json.loads((ROOT / "policies/ear/catalog/h800.json").read_text())
    facts["destination"] = {"country": "CN"}
    cpp = policy._native._bench_cpp(facts, AS_OF, calls)
    python = best_of(3, lambda: [policy.evaluate(facts, AS_OF) for _ in range(calls)]) / calls
    native = best_of(3, lambda: [policy._native.evaluate(facts, AS_OF) for _ in range(calls)]) / calls
    print(f"per call (H800 to CN, {calls:,} calls, best of 3):")
    print(f"  C++ Policy::evaluate   {cpp['policy_evaluate'] * 1e6:6.2f} us")
    print(f"  C++ Session::evaluate  {cpp['session_evaluate'] * 1e6:6.2f} us")
    print(f"  C++ Session::decide    {cpp['session_decide'] * 1e6:6.2f} us")
    print(f"  Python Policy.evaluate {python * 1e6:6.2f} us "
          f"(+{(python - cpp['session_evaluate']) * 1e6:.2f} us over Session::evaluate, "
          f"+{(python - cpp['policy_evaluate']) * 1e6:.2f} us over Policy::evaluate)")
    print(f"  extension call alone   {native * 1e6:6.2f} us (without the Python wrapper method)")


def bench_dask(policy, df, repeat, partitions):
    import dask.dataframe
    from distributed import Client, LocalCluster

    import edict.dask

    rows = len(df)
    single = best_of(repeat, lambda: policy.evaluate_frame(df, as_of=AS_OF))
    print(f"dask: {rows:,} rows in {partitions} partitions; evaluate_frame alone {rows / single:,.0f} rows/s")
    ddf = dask.dataframe.from_pandas(df, npartitions=partitions).persist()
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=None, silence_logs=40) as cluster, Client(cluster):
            ddf_here = ddf.persist()
            edict.dask.evaluate_frame(ddf_here, policy, as_of=AS_OF).compute()  # warm: workers compile once
            seconds = best_of(repeat, lambda: edict.dask.evaluate_frame(ddf_here, policy, as_of=AS_OF).compute())
            print(f"  {workers} worker(s): {seconds:.3f} s, {rows / seconds:,.0f} rows/s "
                  f"({seconds / single:.2f}x the time of evaluate_frame on 1 thread), results gathered to the client")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--dask-rows", type=int, default=400_000)
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()
    policy = edict.compile(str(ROOT / "policies/ear"))
    bench_per_call(policy, args.calls)
    bench_frame(policy, ear_frame(args.rows), args.repeat)
    if args.dask:
        bench_dask(policy, ear_frame(args.dask_rows), args.repeat, args.partitions)


if __name__ == "__main__":
    main()
