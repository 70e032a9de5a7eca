"""edict.dask on a LocalCluster with two worker processes: 200,000 generated rows give exactly the frame of
the single-process path."""

import dask.dataframe
import pandas
import pytest
from distributed import Client, LocalCluster

import edict
import edict.dask
from conftest import EAR
from frames import ear_frame

ROWS = 200_000


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as c:
        yield c


def test_dask_gives_the_single_process_frame(client, ear):
    df = ear_frame(ROWS)
    expected = ear.evaluate_frame(df, as_of="2024-06-01")
    ddf = dask.dataframe.from_pandas(df, npartitions=8)
    out = edict.dask.evaluate_frame(ddf, ear, as_of="2024-06-01").compute()
    assert len(out) == ROWS
    pandas.testing.assert_frame_equal(out, expected)
    # Each worker process compiled the policy (once): both ran partitions.
    assert len(client.run(lambda: len(edict._compiled_bundles))) == 2


def test_dask_keeps_bad_rows_to_themselves_and_takes_an_as_of_column(client, ear):
    df = ear_frame(1_000).assign(as_of="2024-06-01")
    df.loc[10, "product.tpp"] = "lots"
    df.loc[900, "as_of"] = None
    ddf = dask.dataframe.from_pandas(df, npartitions=3)
    out = edict.dask.evaluate_frame(ddf, str(EAR), as_of="as_of").compute()  # a path: compiled here, shipped
    pandas.testing.assert_frame_equal(out, ear.evaluate_frame(df, as_of="as_of"))
    assert "product.tpp" in out.error[10] and out.error[900] == "`as_of` is not set for this row"
    assert out.error.notna().sum() == 2
